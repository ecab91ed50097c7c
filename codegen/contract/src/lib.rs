//! The generator's contract, checked from a build script as a user would use it:
//! every public AsyncAPI document of `codegen/tests/asyncapi/` and every test
//! document of `codegen/tests/documents/` is compiled by `rainmaker_codegen::Builder`
//! into `OUT_DIR`, included here as a module, and must compile in this crate, which
//! depends on `rainmaker-types`, `serde` and `serde_json` only.
//!
//! Each module gets the same tests ([`contract_tests!`]): every message example of
//! the document decodes through the generated dispatch on a topic of its channel and
//! re-encodes to the same payload, and every channel's example topic parses (owned
//! and borrowed) and writes back unchanged.

#[cfg(test)]
mod check;

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
                let channel = envelope.topic().channel();
                assert_eq!(channel, example.channel, "{}", example.name);
                if channel.messages().len() == 1 {
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
        fn example_topics_parse_and_write_back() {
            for (channel, text) in super::examples::TOPICS {
                let topic =
                    super::Topic::parse(text).unwrap_or_else(|error| panic!("`{text}`: {error}"));
                assert_eq!(topic.channel(), *channel);
                assert_eq!(topic.to_string(), *text);
                let borrowed = super::TopicRef::parse(text).expect("parses borrowed");
                assert_eq!(borrowed.to_topic(), topic);
                assert_eq!(borrowed.to_string(), *text);
                assert_eq!(topic.to_ref(), borrowed);
                assert_eq!(super::Channel::of_topic(text), Ok(*channel));
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
