//! The generator's contract, checked from a build script as a user would use it:
//! every construct document of `codegen/tests/documents/` and every public AsyncAPI
//! document of other projects in `../shared/asyncapi/` (read in place, see the build
//! script) is compiled by `rainmaker_codegen::Builder` into `OUT_DIR`, included here
//! as a module, and must compile in this crate, which depends on `rainmaker-types`,
//! `serde` and `serde_json` only.
//!
//! Each module gets the same tests ([`contract_tests!`]): every message example of
//! the document decodes through the generated dispatch on a topic of its channel and
//! re-encodes to the same payload, and every channel's example topic parses (owned
//! and borrowed) and writes back unchanged.

#[cfg(test)]
mod check;
#[cfg(test)]
pub use rainmaker_test_support::differential;

/// Differential cases per JSON message in `cargo test` (`DIFFERENTIAL_CASES`
/// overrides it for a longer run, `DIFFERENTIAL_RANDOM` draws new instances).
#[cfg(test)]
pub fn differential_cases() -> u32 {
    std::env::var("DIFFERENTIAL_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(64)
}

/// Asserts that a differential run found no defect, printing what it counted.
#[cfg(test)]
pub fn assert_agrees(name: &str, outcome: &differential::Outcome) {
    eprintln!(
        "{name}: {} accepted and {} refused by both; {} documented differences; {} skipped",
        outcome.accepted,
        outcome.refused,
        outcome.documented.len(),
        outcome.skipped.len()
    );
    for skipped in &outcome.skipped {
        eprintln!("  skipped: {skipped}");
    }
    assert!(
        outcome.failures.is_empty(),
        "{name}: {} disagreements with jsonschema, first ones:\n{}",
        outcome.failures.len(),
        outcome
            .failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The contract tests of one generated module (expanded inside it).
#[macro_export]
macro_rules! contract_tests {
    () => {
        #[test]
        fn examples_decode_and_re_encode() {
            for example in super::examples::EXAMPLES {
                let envelope = super::Envelope::decode(example.topic, example.payload)
                    .unwrap_or_else(|error| {
                        panic!("{} / {}: {error}", example.message, example.name)
                    });
                // Channels that share an address parse as the first of them.
                let channel = envelope.topic().channel();
                assert_eq!(
                    channel.address(),
                    example.channel.address(),
                    "{}",
                    example.name
                );
                if channel == example.channel && channel.messages().len() == 1 {
                    assert_eq!(envelope.message().kind(), example.message);
                }
                let (topic, bytes) = envelope.encode().expect("encodes");
                assert_eq!(topic, example.topic);
                $crate::check::same_payload(example.payload, &bytes, example.name);
                let again = super::Envelope::decode(&topic, &bytes).expect("decodes again");
                assert_eq!(again.message(), envelope.message(), "{}", example.name);
            }
        }

        #[test]
        fn the_decoder_accepts_what_json_schema_accepts() {
            let outcome = $crate::differential::run(
                super::PAYLOAD_SCHEMAS,
                $crate::differential_cases(),
                |message, payload| {
                    let kind = super::MessageKind::ALL
                        .into_iter()
                        .find(|kind| kind.name() == message)
                        .expect("a message of the document");
                    super::Message::decode_as(kind, payload)
                        .map(drop)
                        .map_err(|error| error.to_string())
                },
            );
            $crate::assert_agrees(module_path!(), &outcome);
        }

        #[test]
        fn example_topics_parse_and_write_back() {
            for (channel, text) in super::examples::TOPICS {
                let topic =
                    super::Topic::parse(text).unwrap_or_else(|error| panic!("`{text}`: {error}"));
                assert_eq!(topic.channel().address(), channel.address());
                assert_eq!(topic.to_string(), *text);
                let borrowed = super::TopicRef::parse(text).expect("parses borrowed");
                assert_eq!(borrowed.to_topic(), topic);
                assert_eq!(borrowed.to_string(), *text);
                assert_eq!(topic.to_ref(), borrowed);
                assert_eq!(
                    super::Channel::of_topic(text).map(|c| c.address()),
                    Ok(channel.address())
                );
            }
            assert_eq!(
                super::examples::TOPICS.len(),
                super::Channel::ALL.len(),
                "every channel has an example topic"
            );
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/documents.rs"));

#[cfg(test)]
mod rainmaker_spec {
    /// The RainMaker spec's own generated decoders (in `rainmaker-types`) agree with
    /// jsonschema on instances of its payload schemas.
    #[test]
    fn the_decoder_accepts_what_json_schema_accepts() {
        use rainmaker_types::{Message, MessageKind};
        let outcome = crate::differential::run(
            super::RAINMAKER_PAYLOAD_SCHEMAS,
            crate::differential_cases(),
            |message, payload| {
                let kind = MessageKind::ALL
                    .into_iter()
                    .find(|kind| kind.name() == message)
                    .expect("a message of the spec");
                Message::decode_as(kind, payload)
                    .map(drop)
                    .map_err(|error| error.to_string())
            },
        );
        crate::assert_agrees("rainmaker spec", &outcome);
        assert!(
            outcome.accepted > 100 && outcome.refused > 100,
            "{outcome:?}"
        );
    }
}

#[cfg(test)]
mod public_documents {
    /// The public documents were there to compile (skipped visibly when they are
    /// not; never skipped under `CI`, where the build script fails without them).
    #[test]
    fn public_documents_were_compiled() {
        let Some(dir) = super::PUBLIC_DOCUMENTS_DIR else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI runs without the public documents"
            );
            eprintln!(
                "SKIPPED: the public AsyncAPI documents (../shared/asyncapi/) are not here; \
                 only the construct documents were compiled"
            );
            return;
        };
        let (generated, refused) = super::PUBLIC_DOCUMENTS;
        eprintln!("{dir}: {generated} documents compiled, {refused} refused as expected");
        assert!(
            generated >= 40,
            "only {generated} public documents in {dir}"
        );
        assert!(
            refused >= 3,
            "the refused documents of {dir} were not checked"
        );
    }
}
