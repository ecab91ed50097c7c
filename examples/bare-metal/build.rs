//! Runs the scripted conversation on the host (this build script is a host program
//! with `std`) and writes what each step must produce to `OUT_DIR/expected.rs`,
//! which the firmware compares its own run with. For the bare-metal target, also
//! puts `memory.x` on the linker's path and links with `riscv-rt`'s `link.x`.

extern crate alloc;

#[path = "src/script.rs"]
#[allow(dead_code)]
mod script;

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let mut steps = Vec::new();
    script::run(&mut |step| steps.push(step))
        .map_err(|stop| format!("the script stopped: {stop:?}"))?;
    let mut expected = String::from(
        "/// What each step of the script produces on the host: (label, transcript).\n\
         pub static EXPECTED: &[(&str, &str)] = &[\n",
    );
    for step in &steps {
        writeln!(expected, "    ({:?}, {:?}),", step.label, step.transcript)?;
    }
    expected.push_str("];\n");
    std::fs::write(out.join("expected.rs"), expected)?;

    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("none") {
        let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
        std::fs::copy(manifest.join("memory.x"), out.join("memory.x"))?;
        println!("cargo:rustc-link-search={}", out.display());
        println!("cargo:rustc-link-arg-bins=-Tmemory.x");
        println!("cargo:rustc-link-arg-bins=-Tlink.x");
    }
    println!("cargo:rerun-if-changed=src/script.rs");
    println!("cargo:rerun-if-changed=memory.x");
    Ok(())
}
