//! `rainmaker`: decode RainMaker payloads, watch a broker's node traffic, and
//! simulate fleets of nodes with a cloud.
//!
//! ```text
//! rainmaker decode --topic node/N/params/local payload.json
//! rainmaker sniff --broker mqtt://localhost:1883 [--share GROUP]
//! rainmaker sim --broker mqtt://localhost:1883 --nodes 100 --rounds 10 --summary run.json
//! rainmaker schedule next --trigger '{"m":420,"d":31}' --tz 'CET-1CEST,M3.5.0,M10.5.0/3'
//! rainmaker check-node --broker mqtt://localhost:1883 --node-id 7C9EBD4A1B2C
//! ```
//!
//! Human output by default, `--json` for programs. Exit status: 0 on success, 1 when
//! a payload does not decode, a simulation lost messages or a node deviates from
//! the protocol, 2 for bad arguments, 3 when the broker cannot be reached, the
//! input cannot be read or the node to check never booted.

mod check_node;
mod decode;
mod error;
mod schedule;
mod show;
mod sim;
mod sniff;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use rainmaker_mqtt::{Broker, TlsOptions};

use error::Error;

/// Decode, watch and simulate ESP RainMaker node traffic.
#[derive(Debug, Parser)]
#[command(name = "rainmaker", version, about)]
struct Cli {
    /// Print JSON instead of text (errors too: `{"error": {...}}` on standard output).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Commands,
}

#[derive(Debug, Subcommand)]
enum Commands {
    /// Decode one payload (JSON or TLV) and print it.
    Decode {
        /// The topic it was published on (either form).
        #[arg(long)]
        topic: String,
        /// The payload file; `-` or nothing for standard input.
        file: Option<PathBuf>,
        /// The input is hex text (TLV frames as logged).
        #[arg(long)]
        hex: bool,
        /// Repair what the C SDK's writer sends that is not JSON, naming each repair.
        #[arg(long)]
        lenient: bool,
    },
    /// Subscribe to what nodes send and print every message as it arrives.
    Sniff {
        #[command(flatten)]
        broker: BrokerArgs,
        /// Join this shared subscription group: instances in one group split the
        /// traffic between them.
        #[arg(long)]
        share: Option<String>,
        /// Stop after this many messages.
        #[arg(long)]
        count: Option<u64>,
        /// Stop after this many seconds.
        #[arg(long)]
        seconds: Option<u64>,
    },
    /// Run N nodes and a cloud on a broker for K rounds and count everything.
    Sim {
        #[command(flatten)]
        broker: BrokerArgs,
        /// How many nodes (each its own connection).
        #[arg(long, default_value_t = 10)]
        nodes: usize,
        /// How many rounds (each: every node reports, the cloud writes to every node).
        #[arg(long, default_value_t = 10)]
        rounds: usize,
        /// Milliseconds between rounds.
        #[arg(long, default_value_t = 100)]
        interval_ms: u64,
        /// Seconds to wait for what is in flight after the last round.
        #[arg(long, default_value_t = 30)]
        settle_s: u64,
        /// Seconds the nodes get to boot (their init reaching the cloud).
        #[arg(long, default_value_t = 60)]
        boot_s: u64,
        /// Write the summary to this file as JSON.
        #[arg(long = "summary", value_name = "FILE")]
        summary: Option<PathBuf>,
        /// Give each node its own identity from this folder: `<node id>.pem` and
        /// `<node id>.key` (the nodes take the ids of the files; --cert and --key
        /// are the cloud's). Load-tests a broker with a per-node ACL.
        #[arg(long, value_name = "DIR", requires = "ca")]
        cert_dir: Option<PathBuf>,
        /// Do not fail on messages received twice: QoS 1 is at least once, and a
        /// broker restart can deliver a message again.
        #[arg(long)]
        allow_duplicates: bool,
    },
    /// Check that a node speaks the protocol: start it after this command, which
    /// watches it boot, drives it as the cloud and the apps do, and reports every
    /// deviation by rule. Exit status 0 conformant, 1 deviations, 3 no broker or
    /// no boot.
    CheckNode {
        #[command(flatten)]
        broker: BrokerArgs,
        /// The node's id (its MQTT client id).
        #[arg(long)]
        node_id: String,
        /// Seconds to wait for the node to boot (its config).
        #[arg(long, value_name = "S", default_value_t = 60)]
        boot_timeout: u64,
        /// Seconds any answer of the node may take.
        #[arg(long, value_name = "S", default_value_t = 5.0)]
        answer_timeout: f64,
        /// Also drop the node's connection (a client takes its id for a moment:
        /// its Last Will, its reconnection) and reboot it (if it declares the
        /// system service), checking that it comes back.
        #[arg(long)]
        destructive: bool,
        /// Write the report to this file as JSON.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
    },
    /// Schedules as a node runs them.
    Schedule {
        #[command(subcommand)]
        command: ScheduleCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ScheduleCommand {
    /// Print when a trigger fires next (Unix seconds and local time), or `never`:
    /// the time an SDK node arms it for.
    Next {
        /// The trigger as the phone app writes it, e.g. '{"m":420,"d":31}'.
        #[arg(long, value_name = "JSON")]
        trigger: String,
        /// The node's POSIX time zone (its TZ-POSIX).
        #[arg(long, value_name = "TZ", default_value = "UTC0")]
        tz: String,
        /// The time to count from, Unix seconds (default: now).
        #[arg(long, value_name = "UNIX")]
        at: Option<i64>,
    },
}

#[derive(Debug, Args)]
struct BrokerArgs {
    /// The broker: mqtt://HOST:PORT or mqtts://HOST:PORT (the port is optional).
    #[arg(long)]
    broker: String,
    /// CA certificate (PEM) the broker's certificate must chain to: TLS. Alone,
    /// server-only TLS; with --cert and --key, mutual TLS.
    #[arg(long)]
    ca: Option<PathBuf>,
    /// Client certificate (PEM), for mutual TLS.
    #[arg(long, requires_all = ["ca", "key"])]
    cert: Option<PathBuf>,
    /// Client key (PEM), for mutual TLS.
    #[arg(long, requires_all = ["ca", "cert"])]
    key: Option<PathBuf>,
    /// The name the broker's certificate must carry, when it is not the host in
    /// --broker (a broker reached by an IP address its certificate does not name).
    #[arg(long, requires = "ca")]
    server_name: Option<String>,
    /// An ALPN protocol to offer (repeatable): `x-amzn-mqtt-ca` for AWS IoT Core
    /// with client certificates on port 443.
    #[arg(long, requires = "ca")]
    alpn: Vec<String>,
}

impl BrokerArgs {
    /// The TLS settings as given.
    fn tls(&self) -> TlsOptions {
        TlsOptions {
            ca: self.ca.clone(),
            cert: self.cert.clone(),
            key: self.key.clone(),
            server_name: self.server_name.clone(),
            alpn: self.alpn.clone(),
        }
    }

    fn broker(&self) -> Result<Broker, Error> {
        self.tls()
            .apply(self.broker.parse()?)
            .map_err(|error| match error {
                rainmaker_mqtt::Error::Tls(tls) => Error::Tls(tls),
                other => Error::Broker(other),
            })
    }
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Text for people.
    Human,
    /// JSON for programs.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = if cli.json {
        Output::Json
    } else {
        Output::Human
    };
    let result = match cli.command {
        Commands::Decode {
            topic,
            file,
            hex,
            lenient,
        } => decode::run(&topic, file, hex, lenient, output).map(|()| ExitCode::SUCCESS),
        Commands::Sniff {
            broker,
            share,
            count,
            seconds,
        } => broker
            .broker()
            .and_then(|broker| {
                runtime()?.block_on(sniff::run(
                    broker,
                    share,
                    count,
                    seconds.map(Duration::from_secs),
                    output,
                ))
            })
            .map(|()| ExitCode::SUCCESS),
        Commands::Sim {
            broker,
            nodes,
            rounds,
            interval_ms,
            settle_s,
            boot_s,
            summary,
            cert_dir,
            allow_duplicates,
        } => broker
            .broker()
            .and_then(|cloud| {
                let cert_dir = match cert_dir {
                    Some(dir) => Some(sim::CertDir {
                        dir,
                        url: broker.broker.parse()?,
                        tls: TlsOptions {
                            cert: None,
                            key: None,
                            ..broker.tls()
                        },
                    }),
                    None => None,
                };
                let settings = sim::Settings {
                    broker: cloud,
                    nodes,
                    rounds,
                    interval: Duration::from_millis(interval_ms),
                    settle: Duration::from_secs(settle_s),
                    boot: Duration::from_secs(boot_s),
                    json: summary,
                    allow_duplicates,
                    cert_dir,
                };
                runtime()?.block_on(sim::run(settings, output))
            })
            .map(|()| ExitCode::SUCCESS),
        Commands::CheckNode {
            broker,
            node_id,
            boot_timeout,
            answer_timeout,
            destructive,
            report,
        } => check_settings(&broker, node_id, boot_timeout, answer_timeout, destructive)
            .and_then(|settings| runtime()?.block_on(check_node::run(settings, report, output))),
        Commands::Schedule {
            command: ScheduleCommand::Next { trigger, tz, at },
        } => schedule::next(
            &trigger,
            &tz,
            at.unwrap_or_else(rainmaker_mqtt::unix_now),
            output,
        )
        .map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            match output {
                Output::Human => eprintln!("rainmaker: {error}"),
                Output::Json => println!("{}", error.json()),
            }
            ExitCode::from(error.status())
        }
    }
}

/// The check's settings from the command line.
fn check_settings(
    broker: &BrokerArgs,
    node_id: String,
    boot_timeout: u64,
    answer_timeout: f64,
    destructive: bool,
) -> Result<rainmaker_cli::check::Settings, Error> {
    if let Err(source) = rainmaker_types::NodeId::new(node_id.as_str()) {
        return Err(Error::NodeId {
            id: node_id,
            source,
        });
    }
    let mut settings = rainmaker_cli::check::Settings::new(broker.broker()?, node_id);
    settings.boot_timeout = Duration::from_secs(boot_timeout);
    settings.answer_timeout =
        Duration::try_from_secs_f64(answer_timeout).unwrap_or(settings.answer_timeout);
    settings.destructive = destructive;
    Ok(settings)
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)
}
