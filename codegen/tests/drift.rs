//! The committed generated code must be exactly what the generator writes from the
//! committed spec. When this test fails, run `cargo run -p rainmaker-codegen --
//! generate` and commit the result.

use std::path::Path;

#[test]
fn committed_generated_code_matches_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives inside the workspace");
    let spec = rainmaker_codegen::Spec::load(root.join(rainmaker_codegen::SPEC_PATH))
        .unwrap_or_else(|error| panic!("{error}"));
    let files = rainmaker_codegen::generate(&spec).unwrap_or_else(|error| panic!("{error}"));
    let diff = files
        .diff(&root.join(rainmaker_codegen::OUT_DIR))
        .unwrap_or_else(|error| panic!("{error}"));
    if let Some(diff) = diff {
        panic!(
            "rainmaker-types/src/generated/ is out of date; run \
             `cargo run -p rainmaker-codegen -- generate` and commit:\n{diff}"
        );
    }
}

#[test]
fn regeneration_is_fast() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives inside the workspace");
    let spec = rainmaker_codegen::Spec::load(root.join(rainmaker_codegen::SPEC_PATH))
        .unwrap_or_else(|error| panic!("{error}"));
    let started = std::time::Instant::now();
    rainmaker_codegen::generate(&spec).unwrap_or_else(|error| panic!("{error}"));
    // The target is < 1 s in release; debug builds are several times slower.
    let elapsed = started.elapsed();
    assert!(elapsed.as_secs() < 10, "regeneration took {elapsed:?}");
}
