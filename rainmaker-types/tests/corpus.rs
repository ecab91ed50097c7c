//! The C SDK corpus (`tests/data/c-sdk-json/`): payloads the official SDK's own
//! writers published, one file per publish, listed by `manifest.json` with the topic
//! the SDK published them on. Every file is covered:
//!
//! - valid JSON decodes strictly on its topic and `Envelope::encode` gives back
//!   the topic and the SDK's exact bytes;
//! - TLV frames decode and re-encode byte for byte;
//! - what the SDK sends that is not JSON is refused by the strict decoder with a
//!   typed error, and read by the lenient one, which names each repair.

use std::path::PathBuf;

use rainmaker_types::runtime::Repair;
use rainmaker_types::{
    DecodeError, DecodeOptions, DispatchError, Envelope, EnvelopeRef, Message, MessageRef,
    ParamValue, ParamValueRef, ParamsDocument, ParamsDocumentRef, TopicForm,
};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/c-sdk-json")
}

/// One entry of the manifest.
struct Entry {
    file: String,
    topic: String,
    format: String,
    valid_json: Option<bool>,
    bytes: Vec<u8>,
}

fn entries() -> Vec<Entry> {
    let dir = corpus_dir();
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(dir.join("manifest.json")).expect("the corpus has a manifest"),
    )
    .expect("the manifest is JSON");
    let files = manifest["files"].as_array().expect("manifest lists files");
    let entries: Vec<Entry> = files
        .iter()
        .map(|file| {
            let name = file["file"].as_str().expect("file name").to_owned();
            let bytes = std::fs::read(dir.join(&name)).expect("listed file exists");
            assert_eq!(
                bytes.len() as u64,
                file["bytes"].as_u64().expect("size"),
                "{name}: size differs from the manifest"
            );
            Entry {
                topic: file["topic"].as_str().expect("topic").to_owned(),
                format: file["format"].as_str().expect("format").to_owned(),
                valid_json: file["valid_json"].as_bool(),
                file: name,
                bytes,
            }
        })
        .collect();
    // Every file of the folder is in the manifest.
    let listed: Vec<&str> = entries.iter().map(|entry| entry.file.as_str()).collect();
    for file in std::fs::read_dir(&dir).expect("corpus folder") {
        let name = file
            .expect("entry")
            .file_name()
            .into_string()
            .expect("UTF-8 name");
        if name != "manifest.json" && name != "README.md" {
            assert!(
                listed.contains(&name.as_str()),
                "{name} is not in the manifest"
            );
        }
    }
    entries
}

#[test]
fn every_valid_payload_re_encodes_to_the_sdk_bytes() {
    let mut exact = 0;
    let mut failures = Vec::new();
    let entries = entries();
    let valid: Vec<&Entry> = entries
        .iter()
        .filter(|entry| entry.format == "tlv8" || entry.valid_json == Some(true))
        .collect();
    for entry in &valid {
        let envelope = match Envelope::decode(&entry.topic, &entry.bytes) {
            Ok(decoded) => decoded,
            Err(error) => {
                failures.push(format!("{}: does not decode: {error}", entry.file));
                continue;
            }
        };
        assert_eq!(
            envelope.form(),
            TopicForm::Ingest,
            "{}: the SDK publishes ingest topics",
            entry.file
        );
        let (topic, bytes) = envelope.encode().expect("re-encodes");
        assert_eq!(topic, entry.topic, "{}", entry.file);
        if bytes == entry.bytes {
            exact += 1;
        } else {
            failures.push(format!(
                "{}:\n  sdk  {}\n  ours {}",
                entry.file,
                String::from_utf8_lossy(&entry.bytes),
                String::from_utf8_lossy(&bytes)
            ));
        }
    }
    println!(
        "{exact} of {} payloads re-encode byte for byte",
        valid.len()
    );
    // The one payload that cannot: the SDK cut `%.5f` of `f32::MAX` at 29
    // characters, so its text no longer says the value it printed.
    assert_eq!(failures.len(), 1, "{}", failures.join("\n"));
    assert!(failures[0].starts_with("weird.boot.params-local-init.json:"));
    assert_eq!(exact, valid.len() - 1);
}

/// The float the SDK could not print: everything else of its document re-encodes
/// exactly, and the cut text is the first 29 characters of `%.5f`.
#[test]
fn a_float_cut_by_the_sdk_is_the_only_inexact_value() {
    let entry = entries()
        .into_iter()
        .find(|entry| entry.file == "weird.boot.params-local-init.json")
        .expect("in the corpus");
    let envelope = Envelope::decode(&entry.topic, &entry.bytes).expect("decodes");
    let (_, bytes) = envelope.encode().expect("encodes");
    let sdk = String::from_utf8(entry.bytes).expect("UTF-8");
    let ours = String::from_utf8(bytes).expect("UTF-8");
    let cut = r#""f_max":34028234663852885981170418348,"#;
    assert!(sdk.contains(cut));
    let full = format!("{:.5}", f64::from(f32::MAX));
    assert!(full.starts_with("34028234663852885981170418348") && full.len() > 29);
    let (sdk_before, sdk_after) = sdk.split_once(cut).expect("cut value");
    assert!(
        ours.starts_with(sdk_before) && ours.ends_with(sdk_after),
        "{ours}"
    );
}

/// What each payload that is not JSON holds, and the repairs the lenient mode makes.
fn expected_repairs(file: &str) -> Option<&'static [&'static str]> {
    Some(match file {
        "weird.float-nan.params-local.json" | "weird.float-inf.params-local.json" => {
            &["non-finite"]
        }
        "weird.ts-nan.tsdata.json" => &["non-finite"],
        "weird.object-null.params-local.json" => &["empty"],
        "weird.str-newline.params-local.json" => &["control"],
        "ota.otaurl-long.otastatus.json" | "user_mapping.long-ids.user-mapping.json" => {
            &["truncated"]
        }
        // Unescaped quotes: no repair, a typed error.
        "weird.str-quote.params-local.json" | "weird.alert-quote.alert.json" => &[],
        _ => return None,
    })
}

fn kind(repair: &Repair) -> &'static str {
    match repair {
        Repair::NonFinite { .. } => "non-finite",
        Repair::EmptyValue { .. } => "empty",
        Repair::ControlCharacter { .. } => "control",
        Repair::Truncated { .. } => "truncated",
    }
}

#[test]
fn what_is_not_json_is_refused_strictly_and_repaired_leniently() {
    let lenient = DecodeOptions::sdk_lenient();
    let mut covered = 0;
    for entry in entries() {
        if entry.valid_json != Some(false) {
            // JSON decodes the same in both modes, with no repair.
            if entry.format == "json" {
                let decoded = Envelope::decode_with(&entry.topic, &entry.bytes, &lenient)
                    .unwrap_or_else(|error| panic!("{}: {error}", entry.file));
                assert!(decoded.repairs.is_empty(), "{}", entry.file);
                let strict = Envelope::decode(&entry.topic, &entry.bytes).expect("strict");
                assert_eq!(decoded.value, strict, "{}", entry.file);
            }
            continue;
        }
        covered += 1;
        let what = &entry.file;
        let expected = expected_repairs(what)
            .unwrap_or_else(|| panic!("{what}: no expectation for this invalid payload"));
        let strict = Envelope::decode(&entry.topic, &entry.bytes).expect_err(what);
        let lenient_result = Envelope::decode_with(&entry.topic, &entry.bytes, &lenient);
        if expected.is_empty() {
            let quote = |error: &DispatchError| {
                matches!(
                    error,
                    DispatchError::Payload(DecodeError::UnescapedQuote { .. })
                )
            };
            assert!(quote(&strict), "{what}: {strict}");
            let error = lenient_result.expect_err(what);
            assert!(quote(&error), "{what}: {error}");
            assert!(error.to_string().contains("unescaped quote"), "{error}");
            continue;
        }
        assert!(
            matches!(strict, DispatchError::Payload(DecodeError::Json(_))),
            "{what}: {strict}"
        );
        let decoded = lenient_result.unwrap_or_else(|error| panic!("{what}: {error}"));
        let kinds: Vec<&str> = decoded.repairs.iter().map(kind).collect();
        assert_eq!(kinds, expected, "{what}: {:?}", decoded.repairs);
        for repair in &decoded.repairs {
            assert!(!repair.to_string().is_empty());
        }
    }
    assert_eq!(covered, 9, "every invalid payload of the corpus is covered");
}

#[test]
fn lenient_values_are_what_the_sdk_meant() {
    let lenient = DecodeOptions::sdk_lenient();
    let decode = |file: &str| {
        let entry = entries()
            .into_iter()
            .find(|entry| entry.file == file)
            .expect("in the corpus");
        Envelope::decode_with(&entry.topic, &entry.bytes, &lenient)
            .unwrap_or_else(|error| panic!("{file}: {error}"))
            .value
            .into_parts()
            .1
    };
    let Message::ParamsLocal(doc) = decode("weird.float-nan.params-local.json") else {
        panic!("params/local");
    };
    assert_eq!(doc.get("Bad", "f"), Some(&ParamValue::Null));
    let Message::ParamsLocal(doc) = decode("weird.str-newline.params-local.json") else {
        panic!("params/local");
    };
    assert_eq!(
        doc.get("Bad", "s").and_then(ParamValue::as_str),
        Some("line1\nline2")
    );
    let Message::OtaStatus(status) = decode("ota.otaurl-long.otastatus.json") else {
        panic!("otastatus");
    };
    // The SDK's 200-byte buffer cut the text; every field is there, the last one cut.
    assert!(status.additional_info.starts_with("OTA Attempt 3/3 failed"));
    assert!(status.additional_info.ends_with("The server's certi"));
}

/// The borrowed decoder reads what the SDK sends as the owned one does, lenient mode
/// included: on every payload of the corpus both succeed with the same repairs and
/// the same values, or both fail alike; a repaired view owns its strings.
#[test]
fn borrowed_lenient_decoding_reads_the_corpus_as_the_owned_one() {
    let lenient = DecodeOptions::sdk_lenient();
    let mut repaired = 0;
    for entry in entries() {
        let what = &entry.file;
        let owned = Envelope::decode_with(&entry.topic, &entry.bytes, &lenient);
        let view = EnvelopeRef::decode_with(&entry.topic, &entry.bytes, &lenient);
        match (owned, view) {
            (Ok(owned), Ok(view)) => {
                assert_eq!(owned.repairs, view.repairs, "{what}");
                assert_eq!(owned.value.form(), view.value.form(), "{what}");
                assert_eq!(
                    owned.value.message().encode().expect("encodes"),
                    view_bytes(view.value.message()),
                    "{what}: the view holds the owned message's values"
                );
                repaired += usize::from(!view.repairs.is_empty());
            }
            (Err(owned), Err(view)) => assert_eq!(owned, view, "{what}"),
            (owned, view) => panic!("{what}: owned {owned:?}, borrowed {view:?}"),
        }
    }
    assert_eq!(
        repaired, 7,
        "the corpus's repairable payloads, `nan` included"
    );

    // The `nan` of a node's delta: a view of the repaired copy, `null` where the SDK
    // wrote `nan`, strings owned (the payload is not what the view reads).
    let entry = entries()
        .into_iter()
        .find(|entry| entry.file == "weird.float-nan.params-local.json")
        .expect("in the corpus");
    let decoded = EnvelopeRef::decode_with(&entry.topic, &entry.bytes, &lenient).expect("repaired");
    let MessageRef::ParamsLocal(doc) = decoded.value.message() else {
        panic!("params/local");
    };
    assert_eq!(doc.get("Bad", "f"), Some(&ParamValueRef::Null));
    assert!(
        EnvelopeRef::decode(&entry.topic, &entry.bytes).is_err(),
        "strictly, `nan` is refused"
    );
}

/// A borrowed message encoded as the owned one would be: the payload's JSON (through
/// the view's `Serialize`) or the frame's bytes.
fn view_bytes(message: &MessageRef<'_>) -> Vec<u8> {
    match message {
        MessageRef::ParamsLocal(doc)
        | MessageRef::ParamsLocalInit(doc)
        | MessageRef::ParamsLocalGroup(doc) => {
            rainmaker_types::sdk_json::to_vec(doc).expect("encodes")
        }
        MessageRef::TsData(data) => rainmaker_types::sdk_json::to_vec(data).expect("encodes"),
        MessageRef::SimpleTsData(data) => rainmaker_types::sdk_json::to_vec(data).expect("encodes"),
        MessageRef::FromNode(frame) => frame.to_vec().expect("encodes"),
        other => owned_bytes(other),
    }
}

/// The bytes of a message the view keeps owned.
fn owned_bytes(message: &MessageRef<'_>) -> Vec<u8> {
    let encoded = match message {
        MessageRef::NodeConfig(config) => rainmaker_types::sdk_json::to_vec(config),
        MessageRef::UserMapping(mapping) => rainmaker_types::sdk_json::to_vec(mapping),
        MessageRef::OtaFetch(fetch) => rainmaker_types::sdk_json::to_vec(fetch),
        MessageRef::OtaStatus(status) => rainmaker_types::sdk_json::to_vec(status),
        MessageRef::Alert(alert) => rainmaker_types::sdk_json::to_vec(alert),
        other => panic!("not in the corpus: {other:?}"),
    };
    encoded.expect("encodes")
}

/// Object and array values keep the sender's text through decode and encode, in
/// both JSON flavours: the SDK writer's (`%.5f` for the scalar floats it prints
/// itself, on what a node publishes) and ours (on what the cloud writes), owned
/// and borrowed. The SDK embeds such values verbatim; re-encoding them with our
/// number formatting would turn `2.50` into `2.5` and `1e3` into `1000.0`.
#[test]
fn object_and_array_values_keep_the_senders_text_in_both_flavours() {
    let nested = r#""Offset":{"offset":-1.5,"scale":2.50,"limit":1e3,"deep":{"f":[-0.0,2.50]}},"List":[1,2.50,"s",1e3,{"x":-1.5}]"#;
    // A node's report: the scalar float as the SDK prints it, the rest verbatim.
    let sdk = format!(r#"{{"Light":{{"Level":2.50000,{nested}}}}}"#);
    let topic = "$aws/rules/esp_set_params/node/N1/params/local";
    let envelope = Envelope::decode(topic, sdk.as_bytes()).expect("decodes");
    let (_, bytes) = envelope.encode().expect("re-encodes");
    assert_eq!(String::from_utf8_lossy(&bytes), sdk);
    // A cloud's write: our flavour, the same object and array text.
    let ours = format!(r#"{{"Light":{{"Level":2.5,{nested}}}}}"#);
    let envelope = Envelope::decode("node/N1/params/remote", ours.as_bytes()).expect("decodes");
    let (_, bytes) = envelope.encode().expect("re-encodes");
    assert_eq!(String::from_utf8_lossy(&bytes), ours);
    // The borrowed view and the owned document write the same text.
    let borrowed: ParamsDocumentRef<'_> = serde_json::from_str(&ours).expect("a document");
    assert_eq!(serde_json::to_string(&borrowed).expect("writes"), ours);
    let owned: ParamsDocument = serde_json::from_str(&ours).expect("a document");
    assert_eq!(serde_json::to_string(&owned).expect("writes"), ours);
    // The values read as JSON all the same.
    let offset = owned.get("Light", "Offset").expect("the object").to_json();
    assert_eq!(offset["limit"], 1000.0);
    assert_eq!(offset["scale"], 2.5);
}
