//! Seeds of the protocol targets (`seeds/{envelope,topic,params,node}/`): every
//! payload and topic of the C SDK corpus (`rainmaker-types/tests/data/c-sdk-json`),
//! every channel's topic in both forms, and a few node conversations; every seed
//! passes its target. `RAINMAKER_WRITE_SEEDS=1 cargo test -p rainmaker-fuzz --test
//! protocol_seeds` rewrites them.

use std::path::{Path, PathBuf};

use rainmaker_fuzz::protocol::{self, envelope_input, topic_for};
use rainmaker_types::{Channel, Topic};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// (topic, file name, payload) of every corpus file.
fn corpus() -> Vec<(String, String, Vec<u8>)> {
    let dir = root().join("../rainmaker-types/tests/data/c-sdk-json");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest"))
            .expect("JSON manifest");
    manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|entry| {
            let file = entry["file"].as_str().expect("file").to_owned();
            let bytes = std::fs::read(dir.join(&file)).expect("corpus file");
            (
                entry["topic"].as_str().expect("topic").to_owned(),
                file,
                bytes,
            )
        })
        .collect()
}

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    match target {
        "envelope" => {
            for (topic, file, bytes) in corpus() {
                let (parsed, form) = Topic::parse_form(&topic).expect("corpus topics parse");
                let ingest = form == rainmaker_types::runtime::TopicForm::Ingest;
                seeds.push((file, envelope_input(parsed.channel(), ingest, &bytes)));
            }
        }
        "topic" => {
            for channel in Channel::ALL {
                let name = channel.address().replace(['/', '{', '}'], "_");
                seeds.push((
                    format!("plain{name}"),
                    topic_for(channel, false).into_bytes(),
                ));
                if channel.ingest_rule().is_some() {
                    seeds.push((
                        format!("ingest{name}"),
                        topic_for(channel, true).into_bytes(),
                    ));
                }
            }
            for (name, text) in [
                ("remote_init", "node/N/params/remote/init"),
                ("unknown_rule", "$aws/rules/esp_nothing/node/N/config"),
                ("rule_mismatch", "$aws/rules/esp_set_params/node/N/config"),
                ("empty", ""),
                ("wildcard_id", "node/+/config"),
            ] {
                seeds.push((name.to_owned(), text.as_bytes().to_vec()));
            }
        }
        "params" => {
            for (topic, file, bytes) in corpus() {
                if topic.contains("/params/local") {
                    seeds.push((file, bytes));
                }
            }
        }
        "node" => {
            let write = br#"{"Light":{"Power":true,"Brightness":60}}"#;
            let mut remote = vec![0, 2, 4, 0, u8::try_from(write.len()).expect("short")];
            remote.extend_from_slice(write);
            seeds.push(("connect_then_remote_write".to_owned(), remote));
            seeds.push(("connect_report_disconnect".to_owned(), vec![0, 3, 1, 0, 3]));
            let frame = rainmaker_tlv::Request::new(
                rainmaker_tlv::Command::SET_PARAMS,
                rainmaker_tlv::UserRole::PRIMARY_USER,
            )
            .with_request_id(b"r1")
            .with_data(&br#"{"params":{"Light":{"Power":false}}}"#[..])
            .to_vec()
            .expect("a request encodes");
            let mut command = vec![0, 4, 2, u8::try_from(frame.len()).expect("short")];
            command.extend_from_slice(&frame);
            seeds.push(("connect_then_command".to_owned(), command));
        }
        other => panic!("no target {other}"),
    }
    seeds
}

const TARGETS: [&str; 4] = ["envelope", "topic", "params", "node"];

fn run(target: &str, bytes: &[u8]) {
    match target {
        "envelope" => protocol::envelope(bytes),
        "topic" => protocol::topic(bytes),
        "params" => protocol::params(bytes),
        _ => protocol::node(bytes),
    }
}

#[test]
fn seed_corpora_match_their_sources() {
    let write = std::env::var_os("RAINMAKER_WRITE_SEEDS").is_some();
    for target in TARGETS {
        let dir = root().join("seeds").join(target);
        let expected = seeds(target);
        assert!(!expected.is_empty(), "{target}: no seeds");
        for (name, bytes) in expected {
            let path = dir.join(&name);
            if write {
                std::fs::create_dir_all(&dir).expect("seed folder");
                std::fs::write(&path, &bytes).expect("seed written");
            }
            let found = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (regenerate the seeds)", path.display()));
            assert_eq!(found, bytes, "{}", path.display());
        }
    }
}

#[test]
fn every_seed_passes_its_target() {
    for target in TARGETS {
        for (name, bytes) in seeds(target) {
            eprintln!("{target}/{name}");
            run(target, &bytes);
        }
    }
}
