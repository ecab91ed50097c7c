//! `rainmaker check-node`: a conformance check of one node. Started before the
//! node, it watches the node boot, then drives it the way the cloud and the phone
//! apps do (writes valid and invalid, commands, the services it declares) and
//! reports every deviation from the protocol's [rules](rules::ALL).
//!
//! ```no_run
//! # async fn run() -> Result<(), rainmaker_cli::check::CheckError> {
//! use rainmaker_cli::check::{Settings, check};
//!
//! let settings = Settings::new("mqtt://127.0.0.1:1883".parse()?, "7C9EBD4A1B2C");
//! // Start the node once `Checker::connect` returns, or call `check` and start
//! // the node within the boot timeout.
//! let report = check(&settings).await?;
//! print!("{}", report.human());
//! # Ok(()) }
//! ```

mod commands;
mod model;
mod observer;
pub mod report;
pub mod rules;
mod services;
mod writes;

use std::time::Duration;

use rainmaker_mqtt::{Broker, Consumer};
use rainmaker_types::Channel;
use rainmaker_types::tlv::GET_PENDING_FRAME;
use tokio::time::Instant;

pub use report::{Deviation, Report};

use observer::Observer;

/// How a check runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The broker the node connects to.
    pub broker: Broker,
    /// The node's id.
    pub node_id: String,
    /// How long to wait for the node to boot (its config).
    pub boot_timeout: Duration,
    /// How long any answer of the node may take.
    pub answer_timeout: Duration,
    /// Also drive what drops the node's connection or restarts it: a takeover
    /// of its client id (its Last Will, its reconnection) and a reboot.
    pub destructive: bool,
}

impl Settings {
    /// A check of `node_id` on `broker` with the default timeouts (60 s to boot,
    /// 5 s to answer), not destructive.
    pub fn new(broker: Broker, node_id: impl Into<String>) -> Self {
        Settings {
            broker,
            node_id: node_id.into(),
            boot_timeout: Duration::from_secs(60),
            answer_timeout: Duration::from_secs(5),
            destructive: false,
        }
    }

    /// How long the check listens after writes that must not be reported.
    fn quiet(&self) -> Duration {
        self.answer_timeout.min(Duration::from_secs(2))
    }
}

/// Why a check could not run.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The broker cannot be reached or refused the checker.
    #[error(transparent)]
    Broker(#[from] rainmaker_mqtt::Error),
    /// No config came from the node.
    #[error(
        "node {node_id} published no config within {} s: start the check before the node \
         (a node sends its config once per boot)",
        waited.as_secs()
    )]
    NeverBooted {
        /// The node.
        node_id: String,
        /// How long the check waited.
        waited: Duration,
    },
}

/// Checks one node: connects, waits for it to boot, drives it, and reports.
///
/// # Errors
///
/// As [`Checker::connect`] and [`Checker::run`].
pub async fn check(settings: &Settings) -> Result<Report, CheckError> {
    Checker::connect(settings.clone()).await?.run().await
}

/// A check in two steps: [`Checker::connect`] subscribes to what the node
/// sends (start the node after it), [`Checker::run`] waits for the node's boot,
/// drives it and reports.
pub struct Checker {
    settings: Settings,
    observer: Observer,
    started: Instant,
}

impl Checker {
    /// Connects to the broker and subscribes to everything nodes send.
    ///
    /// # Errors
    ///
    /// [`CheckError::Broker`] when the broker cannot be reached or refuses.
    pub async fn connect(settings: Settings) -> Result<Self, CheckError> {
        let started = Instant::now();
        let client_id = format!(
            "rainmaker-check-{}-{}",
            std::process::id(),
            settings.node_id
        );
        // The checker keeps no state between runs.
        let broker = settings.broker.clone().with_persistent_session(false);
        // Everything under the node's id, so that a stray topic shows too.
        let node_id = &settings.node_id;
        let filters = vec![
            format!("node/{node_id}/#"),
            format!("$aws/rules/+/node/{node_id}/#"),
        ];
        let consumer = Consumer::connect_to(&broker, &client_id, filters).await?;
        let observer = Observer::new(consumer, &settings.node_id);
        Ok(Checker {
            settings,
            observer,
            started,
        })
    }

    /// Waits for the node to boot, drives it, and reports.
    ///
    /// # Errors
    ///
    /// [`CheckError::NeverBooted`] when the node sends no config within the boot
    /// timeout.
    pub async fn run(self) -> Result<Report, CheckError> {
        let Checker {
            settings,
            mut observer,
            started,
        } = self;
        let config = observer
            .wait_for(0, settings.boot_timeout, |seen| {
                seen.channel == Some(Channel::NodeConfig)
            })
            .await;
        if config.is_none() || observer.model.is_none() {
            return Err(CheckError::NeverBooted {
                node_id: settings.node_id.clone(),
                waited: settings.boot_timeout,
            });
        }
        boot(&mut observer, &settings).await;
        let answer = settings.answer_timeout;
        writes::valid(&mut observer, answer).await;
        writes::invalid(&mut observer, settings.quiet()).await;
        if observer.model.as_ref().is_some_and(|model| model.cmd_resp) {
            commands::run(&mut observer, answer, settings.quiet()).await;
        } else {
            observer
                .findings
                .skip("commands", "the config declares no cmd-resp attribute");
        }
        services::run(&mut observer, &settings).await;
        if observer.group.is_none() {
            observer
                .findings
                .skip("group writes", "the node reports no group id");
        }
        let Observer { findings, .. } = observer;
        Ok(findings.into_report(
            &settings.node_id,
            &settings.broker.to_string(),
            started.elapsed().as_secs_f64(),
        ))
    }
}

/// `boot.init` and `boot.get-pending`, after the config.
async fn boot(observer: &mut Observer, settings: &Settings) {
    let answer = settings.answer_timeout;
    observer.findings.checked(&rules::INIT);
    let init = observer
        .wait_for(0, answer, |seen| {
            seen.channel == Some(Channel::ParamsLocalInit)
        })
        .await;
    if init.is_none() {
        let topic = observer.topic("params/local/init");
        observer.findings.deviate(
            &rules::INIT,
            topic,
            format!(
                "the params snapshot within {} s of the config",
                answer.as_secs_f64()
            ),
            "nothing",
        );
    }
    if observer.model.as_ref().is_some_and(|model| model.cmd_resp) {
        observer.findings.checked(&rules::GET_PENDING);
        let pending = observer
            .wait_for(0, answer, |seen| {
                seen.channel == Some(Channel::FromNode) && seen.payload == GET_PENDING_FRAME
            })
            .await;
        if pending.is_none() {
            let topic = observer.topic("from-node");
            let got = observer
                .seen
                .iter()
                .find(|seen| seen.channel == Some(Channel::FromNode))
                .map_or_else(
                    || "nothing".to_owned(),
                    |seen| report::excerpt(&seen.payload),
                );
            observer.findings.deviate(
                &rules::GET_PENDING,
                topic,
                format!(
                    "{} within {} s of connecting",
                    hex::encode(GET_PENDING_FRAME),
                    answer.as_secs_f64()
                ),
                got,
            );
        }
    }
}
