//! Writes `OUT_DIR/schemas.json`: the payload schema of every JSON message of the
//! RainMaker spec, `$ref`s inlined, for the `differential` target.

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let spec = manifest.join("../spec/rainmaker-node.asyncapi.yaml");
    println!("cargo:rerun-if-changed={}", spec.display());
    let sources = rainmaker_codegen::Sources::load(&spec)?;
    let schemas = rainmaker_codegen::payload_schemas(&sources)?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("schemas.json");
    std::fs::write(out, serde_json::to_vec(&schemas)?)?;
    Ok(())
}
