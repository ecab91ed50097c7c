//! The boot sequence: config, the user mapping, params start, subscriptions and the
//! last will.

use super::*;

impl Node {
    /// Makes the node report a user-node mapping on its next connect; params start
    /// once the broker acknowledges it.
    pub fn set_user_mapping(
        &mut self,
        user_id: impl Into<String>,
        secret_key: impl Into<String>,
        reset: bool,
    ) {
        self.mapping = Mapping::Pending(UserMapping {
            node_id: self.node_id.clone(),
            user_id: user_id.into(),
            secret_key: secret_key.into(),
            reset: reset.then_some(true),
            extra: serde_json::Map::new(),
        });
    }

    /// The topic filters the node needs now (what a reconnect re-subscribes).
    pub fn subscriptions(&self) -> Vec<String> {
        let mut topics = self.params_subscriptions();
        topics.push(
            Topic::ToNode {
                node_id: self.node_id.clone(),
            }
            .to_string(),
        );
        topics
    }

    /// The subscriptions that come with params starting: `params/remote` (and its
    /// group form) and `otaurl`.
    pub(super) fn params_subscriptions(&self) -> Vec<String> {
        if !self.params_started {
            return Vec::new();
        }
        let node_id = || self.node_id.clone();
        let mut topics = vec![Topic::ParamsRemote { node_id: node_id() }];
        if let Some(group_id) = &self.group {
            topics.push(Topic::ParamsRemoteGroup {
                node_id: node_id(),
                group_id: group_id.clone(),
            });
        }
        if self.ota_topics {
            topics.push(Topic::OtaUrl { node_id: node_id() });
        }
        topics.iter().map(ToString::to_string).collect()
    }

    pub(super) fn on_connect(
        &mut self,
        out: &mut Output,
        session: Session,
    ) -> Result<(), NodeError> {
        let node_id = self.node_id.clone();
        if session == Session::Kept && self.config_reported {
            // The broker kept the subscriptions and retransmits what was not
            // acknowledged; only the get-pending request is per connection.
            let get_pending = self.publish(Topic::FromNode { node_id }, GET_PENDING_FRAME.to_vec());
            out.publish.push(get_pending);
            return Ok(());
        }
        if !self.config_reported || session == Session::Lost {
            let config = self.config()?;
            let topic = Topic::NodeConfig {
                node_id: node_id.clone(),
            };
            self.publish_json(out, topic, &config)?;
        }
        match &self.mapping {
            // Sent again after a reconnect whose acknowledgement never came.
            Mapping::Pending(mapping) | Mapping::AwaitingAck(mapping, _) => {
                let mapping = mapping.clone();
                let topic = Topic::UserMapping {
                    node_id: node_id.clone(),
                };
                self.publish_json(out, topic, &mapping)?;
                let id = out
                    .publish
                    .last()
                    .map_or(PublishId(0), |publish| publish.id);
                self.mapping = Mapping::AwaitingAck(mapping, id);
            }
            Mapping::Done if !self.params_started => self.start_params(out)?,
            Mapping::Done if session == Session::Lost => {
                // What the other side may have missed: every current value.
                let init = self.params();
                self.publish_json(
                    out,
                    Topic::ParamsLocalInit {
                        node_id: node_id.clone(),
                    },
                    &init,
                )?;
                self.reported = init;
            }
            Mapping::Done => {}
        }
        self.config_reported = true;
        out.subscribe = self.subscriptions();
        let get_pending = self.publish(Topic::FromNode { node_id }, GET_PENDING_FRAME.to_vec());
        out.publish.push(get_pending);
        Ok(())
    }

    pub(super) fn start_params(&mut self, out: &mut Output) -> Result<(), NodeError> {
        let init = self.params();
        self.publish_json(
            out,
            Topic::ParamsLocalInit {
                node_id: self.node_id.clone(),
            },
            &init,
        )?;
        self.time_series_reports(&init, out)?;
        if self.ota_topics {
            let fetch = OtaFetch {
                node_id: self.node_id.clone(),
                fw_version: self.info.fw_version.clone(),
                network_id: None,
                extra: serde_json::Map::new(),
            };
            self.publish_json(
                out,
                Topic::OtaFetch {
                    node_id: self.node_id.clone(),
                },
                &fetch,
            )?;
        }
        self.reported = init;
        self.params_started = true;
        Ok(())
    }

    /// The name of the node's connectivity service, if it has one.
    pub(super) fn connectivity_service(&self) -> Option<&str> {
        self.slots
            .iter()
            .map(|slot| &slot.device)
            .find(|device| device.descriptor().device_type == Some(CONNECTIVITY_SERVICE_TYPE))
            .map(|device| device.name())
    }

    /// Reports `Connected: true` once [`CONNECTED_REPORT_DELAY`] has passed since
    /// the connect, as the SDK's connectivity service does after every connect
    /// (whether or not the value changed: the will may have said `false`).
    pub(super) fn report_connected(&mut self, now: i64, out: &mut Output) -> Result<(), NodeError> {
        let due = self.connected_report_at.is_some_and(|at| at <= now);
        if !due || !self.connected || !self.params_started {
            return Ok(());
        }
        self.connected_report_at = None;
        let Some(service) = self.connectivity_service().map(ToOwned::to_owned) else {
            return Ok(());
        };
        let mut report = ParamsDocument::new();
        report.insert(&service, CONNECTED_PARAM, true);
        self.publish_json(out, self.delta_topic(), &report)?;
        self.mark_reported(&report);
        Ok(())
    }

    /// The last will to arm when connecting, if the node has a connectivity service:
    /// `{"<service>":{"Connected":false}}` on the plain delta topic (never basic
    /// ingest), QoS 1, not retained.
    pub fn last_will(&self) -> Option<Publish> {
        let mut payload = ParamsDocument::new();
        payload.insert(self.connectivity_service()?, CONNECTED_PARAM, false);
        let topic = self.delta_topic();
        let mut will = self.publish(topic, sdk_json::to_vec(&payload).ok()?);
        // The will goes on the plain topic, whatever the node's topic form.
        will.topic = self.delta_topic().to_string();
        Some(will)
    }

    /// The user mapping is acknowledged: params start.
    pub(super) fn mapping_done(&mut self, out: &mut Output) -> Result<(), NodeError> {
        self.start_params(out)?;
        self.mapping = Mapping::Done;
        out.subscribe = self.params_subscriptions();
        Ok(())
    }
}
