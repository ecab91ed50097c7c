//! The committed generated code and protocol reference must be exactly what the
//! generator writes from the committed spec. When this test fails, run `cargo codegen
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
            "rainmaker-types/src/generated/, rainmaker-tlv/src/generated/, \
             rainmaker-macros/src/generated/ or docs/protocol.md is out of date; \
             run `cargo codegen generate` and commit:\n{diff}"
        );
    }
}

#[test]
fn the_protocol_reference_covers_every_channel_type_and_difference() {
    let output = rainmaker_codegen::Builder::workspace(root())
        .build()
        .unwrap_or_else(|error| panic!("{error}"));
    let reference = output.companions[&rainmaker_codegen::Companion::Reference]
        .get(rainmaker_codegen::docs::FILE_NAME)
        .expect("the reference is generated");
    let spec = std::fs::read_to_string(root().join(rainmaker_codegen::SPEC_PATH)).expect("spec");
    let doc: serde_json::Value = serde_norway::from_str(&spec).expect("the spec is YAML");
    for address in doc["channels"]
        .as_object()
        .expect("channels")
        .values()
        .filter_map(|channel| channel["address"].as_str())
    {
        assert!(
            reference.contains(&format!("\n### {address}\n")),
            "no section for {address}"
        );
    }
    let sources = rainmaker_codegen::Sources::load(root().join(rainmaker_codegen::SPEC_PATH))
        .unwrap_or_else(|error| panic!("{error}"));
    let model = rainmaker_codegen::read(&sources)
        .unwrap_or_else(|error| panic!("{error}"))
        .model;
    for ty in &model.types {
        assert!(
            reference.contains(&format!("\n### {}\n", ty.name)),
            "no section for {}",
            ty.name
        );
    }
    for difference in doc["x-rainmaker-upstream-differences"]
        .as_array()
        .expect("differences")
    {
        let id = difference["id"].as_str().expect("id");
        assert!(
            reference.contains(&format!("\n### {id} ")),
            "no section for {id}"
        );
    }
    for tag in 1..=6 {
        assert!(
            reference.contains(&format!("\n| {tag} | `")),
            "no row for TLV tag {tag}"
        );
    }
}
