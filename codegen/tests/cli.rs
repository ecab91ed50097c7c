//! The `rainmaker-codegen` binary: a spec with errors ends with every problem listed
//! (each with its location), exit code 1 and no files written; names that clash are
//! warnings; `check` reports drift; `--help` works.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
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

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rainmaker-codegen"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn generate(spec: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rainmaker-codegen"))
        .arg("generate")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("the binary runs")
}

/// Generating `spec` fails with exit code 1, writes nothing, and stderr holds every
/// one of `expected`.
fn assert_fails(spec: &str, expected: &[&str]) -> String {
    let out = temp_dir("error");
    let output = generate(&tests_dir().join(spec), &out);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{spec}: {stderr}");
    for text in expected {
        assert!(
            stderr.contains(text),
            "{spec}: `{text}` missing from:\n{stderr}"
        );
    }
    assert!(!out.exists(), "{spec}: output directory was created");
    stderr
}

#[test]
fn invalid_yaml() {
    assert_fails("errors/invalid_yaml.yaml", &["invalid YAML", "line 2"]);
}

#[test]
fn asyncapi_2_is_refused_with_a_clear_message() {
    assert_fails(
        "errors/asyncapi2.yaml",
        &[
            "#/asyncapi",
            "AsyncAPI 2.6.0 is not supported",
            "asyncapi convert",
        ],
    );
}

#[test]
fn remote_refs_are_refused() {
    assert_fails(
        "errors/remote_ref.yaml",
        &[
            "#/channels/a/messages/m/payload/$ref",
            "remote references are not fetched",
        ],
    );
}

#[test]
fn catalogue_lists_named_wrongly_are_reported() {
    let stderr = assert_fails(
        "errors/standard_type.yaml",
        &[
            "4 problem(s)",
            "properties/kind/x-rainmaker-standard-type: `x-rainmaker-standard-type` names \
             lists of `x-rainmaker-standard-types`: ui-types, device-types, service-types, \
             param-types",
            "properties/level: `x-rainmaker-standard-type` belongs on a `type: string` schema",
            "properties/widget/x-rainmaker-standard-type: names a list of the standard-type \
             catalogue, but the document has no `x-rainmaker-standard-types`",
            "properties/shade/x-rainmaker-standard-type: `x-rainmaker-standard-type` names",
        ],
    );
    // Each mistake once, the list of lists included.
    assert_eq!(stderr.matches("error: #/").count(), 4, "{stderr}");
}

#[test]
fn three_independent_mistakes_are_all_reported() {
    let stderr = assert_fails(
        "errors/three_mistakes.yaml",
        &[
            "3 problem(s)",
            "#/channels/broken/address: unclosed `{`",
            "#/operations/publishReading/action: `action` must be `send` or `receive`",
            "#/components/messages/reading/payload/properties/value/$ref: unresolved $ref",
        ],
    );
    assert_eq!(stderr.matches("error: #/").count(), 3, "{stderr}");
}

#[test]
fn clashing_names_are_warnings_and_code_is_generated() {
    let out = temp_dir("clashes");
    let output = generate(&tests_dir().join("errors/clashes.yaml"), &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "warning: #/components/schemas/Thing/properties/client_id: the Rust name \
             `client_id` is already used by #/components/schemas/Thing/properties/clientId; \
             this item is named `client_id2`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("#/components/schemas/Thing/properties/mode/enum/1"),
        "{stderr}"
    );
    let messages = std::fs::read_to_string(out.join("messages.rs")).expect("written");
    assert!(messages.contains("pub client_id2:"), "{messages}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn check_reports_drift_and_an_up_to_date_directory() {
    let spec = tests_dir().join("documents/bindings.yaml");
    let out = temp_dir("check");
    let check = |out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_rainmaker-codegen"))
            .arg("check")
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(out)
            .output()
            .expect("the binary runs")
    };
    let missing = check(&out);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stdout).contains("+++ b/topics.rs"));

    assert!(generate(&spec, &out).status.success());
    let fresh = check(&out);
    assert_eq!(
        fresh.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );

    let topics = out.join("topics.rs");
    let text = std::fs::read_to_string(&topics).expect("written");
    std::fs::write(&topics, text.replace("qos/0", "qos/zero")).expect("rewritten");
    let drifted = check(&out);
    assert_eq!(drifted.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&drifted.stdout);
    assert!(diff.contains("-") && diff.contains("qos/zero"), "{diff}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn check_prints_each_warning_once_and_the_command_that_fixes_that_document() {
    let spec = tests_dir().join("errors/clashes.yaml");
    let out = temp_dir("check-warnings");
    let spec_arg = spec.to_str().expect("UTF-8 path");
    let out_arg = out.to_str().expect("UTF-8 path");
    let generated = codegen(&[
        "generate",
        "--spec",
        spec_arg,
        "--out",
        out_arg,
        "--examples",
    ]);
    assert!(generated.status.success());
    let generate_stderr = String::from_utf8_lossy(&generated.stderr).into_owned();
    let warnings: Vec<&str> = generate_stderr
        .lines()
        .filter(|line| line.contains("warning:"))
        .collect();
    assert!(!warnings.is_empty(), "{generate_stderr}");

    std::fs::write(out.join("messages.rs"), "// edited by hand\n").expect("rewritten");
    let checked = codegen(&["check", "--spec", spec_arg, "--out", out_arg, "--examples"]);
    assert_eq!(checked.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&checked.stderr);
    for warning in &warnings {
        assert_eq!(
            stderr.matches(warning).count(),
            1,
            "`{warning}` in:\n{stderr}"
        );
    }
    let fix =
        format!("run `rainmaker-codegen generate --spec {spec_arg} --out {out_arg} --examples`");
    assert!(stderr.contains(&fix), "{stderr}");

    let workspace = codegen(&["check"]);
    let stderr = String::from_utf8_lossy(&workspace.stderr);
    assert!(
        workspace.status.success() && !stderr.contains("warning"),
        "the workspace spec is up to date and has no warning: {stderr}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn help_and_usage_errors() {
    let help = codegen(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("generate") && text.contains("check"),
        "{text}"
    );

    let help = codegen(&["generate", "--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in ["--spec", "--out", "--crate-path", "--examples"] {
        assert!(text.contains(flag), "{flag} missing from:\n{text}");
    }

    let usage = codegen(&["generate", "--spec", "x.yaml"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("--out DIR"));
    assert_eq!(codegen(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn the_output_of_the_cli_is_the_builders() {
    let spec = tests_dir().join("documents/addresses.yaml");
    let out = temp_dir("same");
    assert!(generate(&spec, &out).status.success());
    let built = rainmaker_codegen::Builder::new()
        .spec(&spec)
        .build()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(built.files.diff(&out).expect("readable"), None);
    let _ = std::fs::remove_dir_all(&out);
}
