//! The `demo` binary as a user runs it: no set-up, the embedded broker, a
//! summary and exit status 0; one clear line and status 1 when it cannot run.

use std::time::Duration;

use rainmaker_examples::broker::free_port;
use rainmaker_examples::script::STEPS;
use rainmaker_test_support::run_program;

/// Runs the demo binary with a bound on its run time.
fn run_demo(args: &[&str]) -> (Option<i32>, String, String) {
    run_program(env!("CARGO_BIN_EXE_demo"), args, Duration::from_secs(60))
}

fn assert_passes(args: &[&str]) -> String {
    let (code, stdout, stderr) = run_demo(args);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    for step in STEPS {
        assert!(
            stdout.contains(&format!("ok  {step}: ")),
            "step {step} missing:\n{stdout}"
        );
    }
    assert!(
        stdout.contains(&format!("{} steps passed in", STEPS.len())),
        "{stdout}"
    );
    stdout
}

#[test]
fn the_demo_runs_with_no_set_up() {
    let stdout = assert_passes(&[]);
    // Messages are readable lines: time, direction, topic, decoded payload.
    for wanted in [
        "embedded broker listening on 127.0.0.1:",
        "  node -> cloud  node/7C9EBD4A1B2C/config  {\"node_id\":\"7C9EBD4A1B2C\"",
        "  cloud -> node  node/7C9EBD4A1B2C/params/remote  {\"Light\":{\"Power\":true,\"Brightness\":60}}",
        "  node -> cloud  node/7C9EBD4A1B2C/params/local  {\"Light\":{\"Power\":true,\"Brightness\":60}}",
        "  cloud -> node  node/7C9EBD4A1B2C/to-node  TLV request request_id=",
        " user_role=primary-user ",
        " command=1 (set-params) data={\"params\":{\"Light\":{\"Power\":false}}}",
        "  node -> cloud  node/7C9EBD4A1B2C/from-node  TLV response request_id=",
        "  node -> cloud  node/7C9EBD4A1B2C/from-node  TLV get pending",
        "  node -> cloud  node/7C9EBD4A1B2C/otastatus  {\"ota_job_id\":\"k2Hn9xVd3QpLmA7sB4cE1f\",\"status\":\"in-progress\"",
        "  node -> cloud  node/7C9EBD4A1B2C/tsdata  {\"ts_data_version\":\"2021-09-13\"",
    ] {
        assert!(stdout.contains(wanted), "no `{wanted}` in\n{stdout}");
    }
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.len() > 14 && first.as_bytes()[2] == b':' && first.as_bytes()[8] == b'.',
        "lines start with HH:MM:SS.mmm: {first}"
    );
}

#[test]
fn the_demo_runs_on_basic_ingest_topics_and_another_node_id() {
    let stdout = assert_passes(&["--ingest", "--node-id", "Socfz6jwKPv8wDw4AakTts"]);
    assert!(
        stdout.contains(
            "  node -> cloud  $aws/rules/esp_set_params/node/Socfz6jwKPv8wDw4AakTts/params/local  "
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("  cloud -> node  node/Socfz6jwKPv8wDw4AakTts/params/remote  "),
        "{stdout}"
    );
}

/// Exit status 1 and exactly one line on stderr, starting with `error: `.
fn assert_fails(args: &[&str], wanted: &str) {
    let (code, stdout, stderr) = run_demo(args);
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(wanted), "no `{wanted}` in {stderr}");
}

#[test]
fn errors_are_one_clear_line() {
    assert_fails(
        &["--broker", "mqtts://127.0.0.1:8883"],
        "an mqtts:// broker needs --ca, --cert and --key",
    );
    assert_fails(
        &[
            "--broker",
            "mqtts://127.0.0.1:8883",
            "--ca",
            "/nonexistent/ca.pem",
            "--cert",
            "/nonexistent/cert.pem",
            "--key",
            "/nonexistent/key.pem",
        ],
        "cannot read /nonexistent/ca.pem",
    );
    let port = free_port().expect("a free port").to_string();
    let url = format!("mqtt://127.0.0.1:{port}");
    assert_fails(
        &["--broker", &url],
        &format!("cloud MQTT connection: cannot connect to {url}"),
    );
    assert_fails(&["--node-id", "not/an/id"], "--node-id \"not/an/id\"");
    // Refused before the broker starts.
    let (_, stdout, _) = run_demo(&["--node-id", "not/an/id"]);
    assert!(!stdout.contains("broker"), "{stdout}");
}

#[test]
fn bad_options_are_usage_errors() {
    let (code, _, stderr) = run_demo(&["--broker", "http://example.invalid"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not an MQTT URL"), "{stderr}");
}
