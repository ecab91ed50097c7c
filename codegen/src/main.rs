//! `rainmaker-codegen`: regenerates `rainmaker-types/src/generated/` from the spec.

fn main() {
    eprintln!("rainmaker-codegen: no generator yet");
    std::process::exit(2);
}
