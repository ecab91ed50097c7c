//! The `rainmaker` command as a user runs it: `decode` on the C SDK corpus, `sniff`
//! in a shared subscription group on mosquitto, and a small `sim`.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use rainmaker_test_support::mosquitto::Mosquitto;
use rainmaker_test_support::mosquitto_or_return;
use serde_json::Value;

fn rainmaker() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rainmaker"))
}

fn corpus(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../rainmaker-types/tests/data/c-sdk-json")
        .join(file)
}

fn run(command: &mut Command) -> Output {
    command.output().expect("rainmaker runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn decode_prints_json_payloads_and_tlv_frames() {
    let output = run(rainmaker()
        .args([
            "decode",
            "--topic",
            "$aws/rules/esp_set_params/node/7C9EBD4A1B2C/params/local",
        ])
        .arg(corpus(
            "led_light.remote-power-brightness.params-local.json",
        )));
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    assert!(text.contains("message  ParamsLocal"), "{text}");
    assert!(text.contains("(basic ingest)"), "{text}");
    assert!(text.contains("\"Brightness\": 60"), "{text}");

    let output = run(rainmaker()
        .args(["--json", "decode", "--topic", "node/7C9EBD4A1B2C/from-node"])
        .arg(corpus("led_light.boot.from-node.bin")));
    let value: Value = serde_json::from_str(&stdout(&output)).expect("JSON output");
    assert_eq!(value["message"], "FromNode");
    assert_eq!(value["payload"]["command_name"], "get-pending");
}

#[test]
fn decode_reads_hex_from_standard_input() {
    let mut child = spawn("--json decode --hex --topic node/N/from-node -");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"01 00 03 01 00 05 02 00 00\n")
        .expect("written");
    let output = child.wait_with_output().expect("exits");
    assert!(output.status.success(), "{output:?}");
    let value: Value = serde_json::from_str(&stdout(&output)).expect("JSON output");
    // Statuses and roles in words, fields under their names in the spec.
    assert_eq!(value["payload"]["status"], "success");
    assert_eq!(value["payload"]["request_id"], "");
    assert_eq!(value["message"], "FromNode");
}

#[test]
fn decode_errors_are_typed_with_exit_status_1() {
    let output = run(rainmaker()
        .args(["decode", "--topic", "node/N/params/local"])
        .arg(corpus("weird.float-nan.params-local.json")));
    assert_eq!(output.status.code(), Some(1));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("invalid JSON at $.Bad.f"), "{error}");
    // The SDK writes such payloads: the error says that `--lenient` reads it.
    assert!(error.contains("`--lenient` repairs it"), "{error}");
    // `--json` errors are JSON on standard output, with their causes.
    let output = run(rainmaker()
        .args(["--json", "decode", "--topic", "node/N/params/local"])
        .arg(corpus("weird.float-nan.params-local.json")));
    assert_eq!(output.status.code(), Some(1));
    let value: Value = serde_json::from_str(&stdout(&output)).expect("a JSON error");
    assert_eq!(value["error"]["kind"], "decode");
    assert_eq!(value["error"]["status"], 1);
    assert_eq!(value["error"]["repairable"], true);
    assert!(
        value["error"]["causes"][0]
            .as_str()
            .is_some_and(|cause| cause.contains("$.Bad.f")),
        "{value}"
    );
    // A payload no mode repairs gets no such hint.
    let output = run(rainmaker()
        .args(["decode", "--topic", "node/N/params/local"])
        .arg(corpus("weird.str-quote.params-local.json")));
    assert_eq!(output.status.code(), Some(1));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("unescaped quote") && !error.contains("--lenient"),
        "{error}"
    );
    // Lenient, it decodes and names the repair.
    let output = run(rainmaker()
        .args(["decode", "--lenient", "--topic", "node/N/params/local"])
        .arg(corpus("weird.float-nan.params-local.json")));
    assert!(output.status.success());
    assert!(stdout(&output).contains("repaired non-finite float `nan`"));
    // A topic that is no topic of the protocol.
    let output = run(rainmaker()
        .args(["decode", "--topic", "not/a/topic", "-"])
        .stdin(Stdio::null()));
    assert_eq!(output.status.code(), Some(1));
    // Bad hex, bad arguments.
    let output = run(rainmaker()
        .args(["decode", "--hex", "--topic", "node/N/from-node"])
        .arg(corpus("led_light.boot.from-node.bin")));
    assert_eq!(output.status.code(), Some(3));
    let output = run(rainmaker().args(["sniff", "--broker", "http://x"]));
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("`http://x`: not an MQTT URL; write mqtt://host[:port]"),
        "{error}"
    );
}

/// Starts `rainmaker` with the words of `args`, its standard streams piped.
fn spawn(args: &str) -> std::process::Child {
    rainmaker()
        .args(args.split_whitespace())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rainmaker runs")
}

/// Starts a sniffer and waits until it is subscribed.
fn sniffer(url: &str, group: &str) -> std::process::Child {
    let mut child = spawn(&format!(
        "--json sniff --broker {url} --share {group} --seconds 6"
    ));
    let mut line = String::new();
    BufReader::new(child.stderr.as_mut().expect("stderr"))
        .read_line(&mut line)
        .expect("a line");
    assert!(line.starts_with("listening on"), "{line}");
    child
}

#[test]
fn sniffers_in_one_share_group_see_each_message_once_between_them() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let first = sniffer(&broker.url(), "cloud");
    let second = sniffer(&broker.url(), "cloud");

    let mut options = rumqttc::MqttOptions::new("publisher", "127.0.0.1", broker.port());
    options.set_keep_alive(Duration::from_secs(30));
    let (client, mut connection) = rumqttc::Client::new(options, 100);
    let messages = 60;
    let publisher = std::thread::spawn(move || {
        let mut acked = 0;
        for event in connection.iter() {
            if let Ok(rumqttc::Event::Incoming(rumqttc::Incoming::PubAck(_))) = event {
                acked += 1;
                if acked == messages {
                    return;
                }
            }
        }
    });
    for n in 0..messages {
        let payload = format!(r#"{{"Light":{{"Brightness":{n}}}}}"#);
        client
            .publish(
                "node/N1/params/local",
                rumqttc::QoS::AtLeastOnce,
                false,
                payload,
            )
            .expect("queued");
    }
    publisher.join().expect("all acknowledged");

    let mut seen = Vec::new();
    let mut per_sniffer = Vec::new();
    for child in [first, second] {
        let output = child.wait_with_output().expect("the sniffer exits");
        assert!(output.status.success(), "{output:?}");
        let lines: Vec<Value> = stdout(&output)
            .lines()
            .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
            .collect();
        per_sniffer.push(lines.len());
        seen.extend(
            lines
                .into_iter()
                .map(|line| line["payload"]["Light"]["Brightness"].as_i64()),
        );
    }
    seen.sort();
    let expected: Vec<Option<i64>> = (0..messages).map(Some).collect();
    assert_eq!(seen, expected, "every message exactly once");
    assert!(
        per_sniffer.iter().all(|count| *count > 0),
        "both took a share: {per_sniffer:?}"
    );
}

#[test]
fn a_small_simulation_loses_nothing_and_writes_its_summary() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let dir = std::env::temp_dir().join(format!("rainmaker-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let summary = dir.join("summary.json");
    let output = run(rainmaker()
        .args([
            "sim",
            "--broker",
            &broker.url(),
            "--nodes",
            "20",
            "--rounds",
            "4",
            "--interval-ms",
            "20",
        ])
        .arg("--summary")
        .arg(&summary));
    assert!(output.status.success(), "{output:?}");
    assert!(stdout(&output).contains("direction  expected  received"));
    let summary: Value =
        serde_json::from_slice(&std::fs::read(&summary).expect("written")).expect("JSON");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(summary["nodes"], 20);
    for direction in ["up", "down"] {
        assert_eq!(summary[direction]["expected"], 80, "{summary}");
        assert_eq!(summary[direction]["received"], 80, "{summary}");
        assert_eq!(summary[direction]["lost"], 0);
        assert!(summary[direction]["latency_ms"]["p99"].as_f64().is_some());
    }
    assert_eq!(summary["decode_errors"], 0);
}

#[test]
fn schedule_next_prints_when_a_trigger_fires() {
    let berlin = "CET-1CEST,M3.5.0,M10.5.0/3";
    // Saturday 2025-03-29 22:30 in Berlin: 07:00 on weekdays is Monday, in
    // summer time.
    let output = run(rainmaker().args([
        "schedule",
        "next",
        "--trigger",
        r#"{"m":420,"d":31}"#,
        "--tz",
        berlin,
        "--at",
        "1743283800",
    ]));
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        stdout(&output),
        "1743397200 (2025-03-31 07:00:00 +02:00 local)\n"
    );
    // Machines get JSON; a polar night has no sunrise.
    let output = run(rainmaker().args([
        "--json",
        "schedule",
        "next",
        "--trigger",
        r#"{"sr":0,"lat":80,"lon":15}"#,
        "--at",
        "1734739200",
    ]));
    let value: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(value["next"], Value::Null);
    // A zone that is not a POSIX zone is a usage error.
    let output = run(rainmaker().args(["schedule", "next", "--trigger", "{}", "--tz", "X"]));
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("`X` is not a POSIX time zone"), "{error}");
}
