//! `rainmaker decode`: one payload, decoded and shown.

use std::io::Read as _;
use std::path::PathBuf;

use rainmaker_types::Envelope;
use rainmaker_types::TopicRef;
use rainmaker_types::runtime::{DecodeOptions, TopicForm};

use crate::show::Shown;
use crate::{Failure, Output};

/// Reads the payload (a file, or standard input for `-` or nothing), decodes it on
/// `topic` and prints it.
///
/// # Errors
///
/// A [`Failure`] with the typed decode error, or why the input could not be read.
pub fn run(
    topic: &str,
    input: Option<PathBuf>,
    hex: bool,
    lenient: bool,
    output: Output,
) -> Result<(), Failure> {
    let mut bytes = Vec::new();
    match input.as_deref().filter(|path| path.as_os_str() != "-") {
        Some(path) => {
            bytes = std::fs::read(path).map_err(|error| {
                Failure::input(format!("cannot read {}: {error}", path.display()))
            })?;
        }
        None => {
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|error| Failure::input(format!("cannot read standard input: {error}")))?;
        }
    }
    if hex {
        bytes = from_hex(&bytes)?;
    }
    let options = if lenient {
        DecodeOptions::sdk_lenient()
    } else {
        DecodeOptions::strict()
    };
    let form = TopicRef::parse_form(topic).map_or(TopicForm::Plain, |(_, form)| form);
    let decoded = Envelope::decode_with(topic, &bytes, &options)
        .map_err(|error| Failure::decode(error.to_string()))?;
    let shown = Shown {
        topic: topic.to_owned(),
        form,
        envelope: decoded.value,
        repairs: decoded.repairs,
    };
    match output {
        Output::Human => print!("{}", shown.text()),
        Output::Json => println!("{}", shown.json()),
    }
    Ok(())
}

/// Hex text (whitespace ignored) as bytes.
fn from_hex(text: &[u8]) -> Result<Vec<u8>, Failure> {
    let digits: Vec<u8> = text
        .iter()
        .copied()
        .filter(|byte| !byte.is_ascii_whitespace())
        .collect();
    hex::decode(digits).map_err(|error| Failure::input(format!("hex input: {error}")))
}
