//! The `differential` target's body over its seeds and over inputs of every length
//! up to 1 KiB made here: the RainMaker spec's generated decoders and the
//! `jsonschema` crate agree on every instance the bytes choose.

use std::path::Path;

#[test]
fn the_decoders_and_json_schema_agree_on_the_seeds_and_varied_inputs() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/differential");
    let mut count = 0;
    for entry in std::fs::read_dir(seeds).expect("seeds") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("seed");
        rainmaker_fuzz::differential(&bytes);
        count += 1;
    }
    assert!(count >= 3, "{count} seeds");
    // A xorshift stream: the same inputs on every run.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for len in (0..1024).step_by(8) {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect();
        rainmaker_fuzz::differential(&bytes);
    }
}
