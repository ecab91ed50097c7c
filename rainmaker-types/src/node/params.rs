//! Params: writes from the cloud (remote and group topics), local changes, and the
//! group the node is in.

use super::*;
use crate::value::DeviceParams;

impl Node {
    pub(super) fn remote_write(
        &mut self,
        doc: &ParamsDocument,
        source: WriteSource,
        out: &mut Output,
    ) -> Result<(), NodeError> {
        let (mut accepted, rejected) = apply_write(&mut self.slots, &mut self.reported, doc);
        // A write that only activates scenes leaves the list alone, and the SDK
        // does not report it.
        if self
            .service_mut::<Scenes>()
            .is_some_and(|scenes| !scenes.list_written())
        {
            accepted.remove_device(Scenes::NAME);
        }
        // What the write changed besides the written params (a `TZ` write sets
        // `TZ-POSIX`) is reported first, as the SDK's write callbacks report it.
        let side_effects = self.unreported();
        if !side_effects.is_empty() {
            self.publish_json(out, self.delta_topic(), &side_effects)?;
            self.time_series_reports(&side_effects, out)?;
            self.mark_reported(&side_effects);
        }
        if !accepted.is_empty() {
            self.publish_json(out, self.delta_topic(), &accepted)?;
            self.time_series_reports(&accepted, out)?;
        }
        if let Some(group) = self.group_written(&accepted) {
            let change = self.set_group(group);
            out.unsubscribe.extend(change.unsubscribe);
            out.subscribe.extend(change.subscribe);
        }
        out.events.push(Event::ParamsWritten {
            source,
            accepted,
            rejected,
        });
        self.run_scene_activations(out)
    }

    /// The group a write moved the node to, if it set the `GroupID` param of a
    /// groups or controller service (as the SDK's groups service does). An empty
    /// string leaves the group; an id that is not a valid [`GroupId`] changes nothing.
    pub(super) fn group_written(&self, accepted: &ParamsDocument) -> Option<Option<GroupId>> {
        self.slots.iter().find_map(|slot| {
            let kind = slot.device.descriptor().device_type?;
            if !GROUP_SERVICE_TYPES.contains(&kind) {
                return None;
            }
            let value = accepted.get(slot.device.name(), GROUP_ID_PARAM)?.as_str()?;
            if value.is_empty() {
                Some(None)
            } else {
                GroupId::new(value).ok().map(Some)
            }
        })
    }

    /// Moves the node into `group` (or out of any group with `None`): deltas then go to
    /// `params/local/<group_id>` and the node listens on `params/remote/<group_id>`.
    /// The output unsubscribes the old group topic and subscribes the new one once
    /// params have started. Re-arm the last will ([`Node::last_will`]) on the next
    /// connect, as the SDK does by reconnecting.
    pub fn set_group(&mut self, group: Option<GroupId>) -> Output {
        let mut out = Output::default();
        if self.group == group {
            return out;
        }
        let remote = |node_id: &NodeId, group_id: &GroupId| {
            Topic::ParamsRemoteGroup {
                node_id: node_id.clone(),
                group_id: group_id.clone(),
            }
            .to_string()
        };
        if self.params_started {
            if let Some(old) = &self.group {
                out.unsubscribe.push(remote(&self.node_id, old));
            }
            if let Some(new) = &group {
                out.subscribe.push(remote(&self.node_id, new));
            }
        }
        self.group = group;
        out
    }

    /// The group the node is in.
    pub fn group(&self) -> Option<&GroupId> {
        self.group.as_ref()
    }

    pub(super) fn delta_topic(&self) -> Topic {
        let node_id = self.node_id.clone();
        match &self.group {
            Some(group_id) => Topic::ParamsLocalGroup {
                node_id,
                group_id: group_id.clone(),
            },
            None => Topic::ParamsLocal { node_id },
        }
    }

    /// Reports local changes at `now`: the params whose values differ from what was
    /// last reported go out on `params/local` (or the group topic), followed by a
    /// `tsdata` report per changed time-series param (stamped `now`). Nothing is
    /// published when nothing changed.
    ///
    /// A node never reports a change before its boot announcements, as an SDK
    /// node: while it is not connected, or before its params start (the user
    /// mapping not yet acknowledged), the changes wait. They go out with the next
    /// announcement (`params/local/init` carries every current value) or, after a
    /// reconnection that kept the session, as one delta right after it.
    pub fn report_changes(&mut self, now: i64) -> Result<Output, NodeError> {
        let mut out = Output::default();
        self.observe(now);
        self.report_timer_changes(&mut out)?;
        self.report_unreported(&mut out)?;
        Ok(out)
    }

    /// Reports every param's current value on `params/local` (or the group
    /// topic), whatever was reported before: for a driver that had to drop
    /// reports (its queue was full), so that the cloud ends with the node's
    /// state. No time series are repeated. Nothing is published before the
    /// node's boot announcements, as with [`Node::report_changes`].
    ///
    /// # Errors
    ///
    /// [`NodeError::Encode`] when the report cannot be written.
    pub fn report_all(&mut self, now: i64) -> Result<Output, NodeError> {
        let mut out = Output::default();
        self.observe(now);
        if !self.connected || !self.params_started {
            return Ok(out);
        }
        let all = self.params();
        self.publish_json(&mut out, self.delta_topic(), &all)?;
        self.mark_reported(&all);
        Ok(out)
    }

    /// Publishes the params that differ from what was last reported (and their
    /// time series), when the node is connected and its params started.
    pub(super) fn report_unreported(&mut self, out: &mut Output) -> Result<(), NodeError> {
        if !self.connected || !self.params_started {
            return Ok(());
        }
        let delta = self.unreported();
        if delta.is_empty() {
            return Ok(());
        }
        self.publish_json(out, self.delta_topic(), &delta)?;
        self.time_series_reports(&delta, out)?;
        self.mark_reported(&delta);
        Ok(())
    }

    /// The params whose values differ from what was last reported, in node and
    /// device param order.
    fn unreported(&self) -> ParamsDocument {
        let mut delta = ParamsDocument::new();
        for slot in &self.slots {
            let name = slot.device.name();
            let last = self.reported.device(name).cloned().unwrap_or_default();
            let changed = slot.device.delta(&last);
            if !changed.is_empty() {
                *delta.device_mut(name) = changed;
            }
        }
        delta
    }

    /// Records `delta` as reported.
    pub(super) fn mark_reported(&mut self, delta: &ParamsDocument) {
        for (device, params) in delta.iter() {
            let reported = self.reported.device_mut(device);
            for (param, value) in params.iter() {
                reported.insert(param, value.clone());
            }
        }
    }
}

/// Applies a write to the devices it names, in node order, and records the accepted
/// values as reported. Params of unknown devices are refused one by one.
pub(super) fn apply_write(
    slots: &mut [Slot],
    reported: &mut ParamsDocument,
    doc: &ParamsDocument,
) -> (ParamsDocument, Vec<WriteError>) {
    let mut accepted = ParamsDocument::new();
    let mut rejected = Vec::new();
    for (device, write) in doc.iter() {
        if !slots.iter().any(|slot| slot.device.name() == device) {
            rejected.extend(write.iter().map(|(param, _)| WriteError {
                device: device.to_owned(),
                param: param.to_owned(),
                reason: WriteRejection::UnknownDevice,
            }));
        }
    }
    for slot in slots.iter_mut() {
        let Some(write) = doc.device(slot.device.name()) else {
            continue;
        };
        let outcome = slot.device.apply(write);
        rejected.extend(outcome.errors);
        if !outcome.accepted.is_empty() {
            let last = reported.device_mut(slot.device.name());
            for (param, value) in outcome.accepted.iter() {
                last.insert(param, value.clone());
            }
            // Reported in the device's param order, as the SDK reports, whatever
            // the order of the write.
            let mut ordered = DeviceParams::new();
            for spec in slot.device.descriptor().params {
                if let Some(value) = outcome.accepted.get(spec.name) {
                    ordered.insert(spec.name, value.clone());
                }
            }
            *accepted.device_mut(slot.device.name()) = ordered;
        }
    }
    (accepted, rejected)
}
