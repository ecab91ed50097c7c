//! The `rainmaker-codegen` binary: bad input ends with one error line naming the spec
//! location (JSON pointer), exit code 1 and no files written; `check` reports drift.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

/// A fresh, unique directory path under the system temp dir (not created).
fn temp_dir(label: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "rainmaker-codegen-{label}-{}-{unique}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn run(args: &[&str], spec: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rainmaker-codegen"))
        .args(args)
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("the binary runs")
}

fn assert_fails_without_output(spec: &str, expected: &[&str]) {
    let out = temp_dir("error");
    let output = run(&["generate"], &fixture(spec), &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{spec}: {stderr}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "{spec}: one error line: {stderr}"
    );
    for text in expected {
        assert!(
            stderr.contains(text),
            "{spec}: `{text}` missing from: {stderr}"
        );
    }
    assert!(!out.exists(), "{spec}: output directory was created");
}

#[test]
fn invalid_yaml() {
    assert_fails_without_output("errors/invalid_yaml.yaml", &["invalid YAML", "line 2"]);
}

#[test]
fn unresolved_ref() {
    assert_fails_without_output(
        "errors/unresolved_ref.yaml",
        &[
            "#/components/schemas/Thing/properties/part/$ref",
            "unresolved $ref",
        ],
    );
}

#[test]
fn unsupported_construct() {
    assert_fails_without_output(
        "errors/unsupported.yaml",
        &[
            "#/components/schemas/Thing/properties/part/anyOf",
            "unsupported",
            "anyOf",
        ],
    );
}

#[test]
fn two_schemas_with_one_rust_name() {
    assert_fails_without_output(
        "errors/collision.yaml",
        &[
            "`ThingInfo`",
            "#/components/schemas/ThingInfo",
            "#/components/schemas/Thing/properties/info",
        ],
    );
}

#[test]
fn two_fields_with_one_rust_name() {
    assert_fails_without_output(
        "errors/field_collision.yaml",
        &[
            "Thing::client_id",
            "#/components/schemas/Thing/properties/clientId",
            "#/components/schemas/Thing/properties/client_id",
        ],
    );
}

#[test]
fn two_enum_values_with_one_rust_name() {
    assert_fails_without_output(
        "errors/variant_collision.yaml",
        &[
            "`HueSlider`",
            "#/components/schemas/Mode/enum/0",
            "#/components/schemas/Mode/enum/1",
        ],
    );
}

#[test]
fn unsupported_integer_format() {
    assert_fails_without_output(
        "errors/integer_format.yaml",
        &[
            "#/components/schemas/Thing/properties/count/format",
            "int128",
        ],
    );
}

#[test]
fn errors_leave_existing_output_untouched() {
    let out = temp_dir("untouched");
    std::fs::create_dir_all(&out).expect("temp dir");
    std::fs::write(out.join("messages.rs"), "// old\n").expect("write");
    let output = run(&["generate"], &fixture("errors/unsupported.yaml"), &out);
    assert_eq!(output.status.code(), Some(1));
    let kept = std::fs::read_to_string(out.join("messages.rs")).expect("still there");
    assert_eq!(kept, "// old\n");
    let entries = std::fs::read_dir(&out).expect("dir").count();
    assert_eq!(entries, 1, "no other file was written");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn generate_then_check() {
    let out = temp_dir("check");
    let spec = fixture("golden/basic.yaml");
    let output = run(&["generate"], &spec, &out);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = run(&["check"], &spec, &out);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let topics = out.join("topics.rs");
    let text = std::fs::read_to_string(&topics).expect("generated");
    std::fs::write(
        &topics,
        text.replacen("pub enum Topic", "pub enum Topik", 1),
    )
    .expect("edit");
    let output = run(&["check"], &spec, &out);
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(
        diff.contains("--- a/topics.rs") && diff.contains("+++ b/topics.rs"),
        "{diff}"
    );
    assert!(
        diff.contains("-pub enum Topik") && diff.contains("+pub enum Topic"),
        "{diff}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn usage_errors_exit_with_2() {
    let binary = env!("CARGO_BIN_EXE_rainmaker-codegen");
    for args in [
        &[][..],
        &["frobnicate"][..],
        &["generate", "--spec"][..],
        &["check", "--x", "y"][..],
    ] {
        let output = Command::new(binary).args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}
