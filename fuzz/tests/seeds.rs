//! The seed corpus of the TLV targets (`decode`, `round_trip`, `router`), in
//! `seeds/tlv/`, holds every frame of the C-implementation vectors (plus a few
//! malformed frames), and every seed passes every target. `RAINMAKER_WRITE_SEEDS=1 cargo test -p rainmaker-fuzz
//! --test seeds` rewrites them from the vector file.

use std::path::{Path, PathBuf};

/// The seed folder the three TLV targets share.
const SEEDS: &str = "tlv";

/// Hand-picked malformed frames worth starting from.
const EXTRA: [(&str, &[u8]); 5] = [
    ("empty", b""),
    (
        "dangling_type_byte",
        b"\x01\x03abc\x02\x01\x01\x05\x02\x01\x00\x06",
    ),
    (
        "truncated_data",
        b"\x01\x03abc\x02\x01\x01\x05\x02\x01\x00\x06\x09abc",
    ),
    ("one_byte_command", b"\x01\x03abc\x02\x01\x01\x05\x01\x01"),
    (
        "duplicate_data",
        b"\x01\x01a\x02\x01\x01\x05\x02\x01\x00\x06\x01x\x06\x01y",
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// (file name, bytes) of every seed.
fn expected_seeds() -> Vec<(String, Vec<u8>)> {
    let path = root().join("../rainmaker-tlv/tests/data/tlv-c-sdk.json");
    let text = std::fs::read_to_string(path).expect("vector file");
    let mut seeds = Vec::new();
    // A minimal scan of the vector file: each vector has a name and one
    // frame field (frame_hex or input_hex).
    let mut name = None;
    for line in text.lines() {
        let line = line.trim().trim_end_matches(',');
        let value = |key: &str| {
            line.strip_prefix(&format!("\"{key}\": \""))
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_owned)
        };
        if let Some(n) = value("name") {
            name = Some(n);
        }
        for key in ["frame_hex", "input_hex"] {
            if let Some(hex) = value(key) {
                let n = name.take().expect("name before frame");
                seeds.push((format!("vector_{n}"), hex::decode(hex).expect("hex")));
            }
        }
    }
    assert_eq!(seeds.len(), 13, "one seed per vector");
    seeds.extend(EXTRA.iter().map(|(n, b)| (n.to_string(), b.to_vec())));
    seeds
}

#[test]
fn seed_corpora_match_the_vectors() {
    let write = std::env::var_os("RAINMAKER_WRITE_SEEDS").is_some();
    let dir = root().join("seeds").join(SEEDS);
    for (name, bytes) in expected_seeds() {
        let path = dir.join(&name);
        if write {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let found = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (regenerate the seeds)", path.display()));
        assert_eq!(found, bytes, "{}", path.display());
    }
}

#[test]
fn every_seed_passes_every_target() {
    for entry in std::fs::read_dir(root().join("seeds").join(SEEDS)).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        rainmaker_fuzz::decode(&bytes);
        rainmaker_fuzz::round_trip(&bytes);
        rainmaker_fuzz::router(&bytes);
    }
}
