//! The committed generated code must be exactly what the generator writes from the
//! committed spec. When this test fails, run `cargo run -p rainmaker-codegen --
//! generate` and commit the result.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives inside the workspace")
}

#[test]
fn committed_generated_code_matches_the_spec() {
    let diff = rainmaker_codegen::Builder::workspace(root())
        .diff()
        .unwrap_or_else(|error| panic!("{error}"));
    if let Some(diff) = diff {
        panic!(
            "rainmaker-types/src/generated/ or rainmaker-tlv/src/generated/ is out of date; \
             run `cargo run -p rainmaker-codegen -- generate` and commit:\n{diff}"
        );
    }
}
