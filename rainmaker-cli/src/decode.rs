//! `rainmaker decode`: one payload, decoded and shown.

use std::io::Read as _;
use std::path::PathBuf;

use rainmaker_types::{DecodeOptions, Envelope};

use crate::Output;
use crate::error::Error;
use crate::show::Shown;

/// Reads the payload (a file, or standard input for `-` or nothing), decodes it on
/// `topic` and prints it.
///
/// # Errors
///
/// [`Error::Decode`] with the typed decode error (and whether `--lenient` would read
/// the payload), or why the input could not be read.
pub fn run(
    topic: &str,
    input: Option<PathBuf>,
    hex: bool,
    lenient: bool,
    output: Output,
) -> Result<(), Error> {
    let mut bytes = Vec::new();
    match input.as_deref().filter(|path| path.as_os_str() != "-") {
        Some(path) => {
            bytes = std::fs::read(path).map_err(|source| Error::Read {
                path: path.to_owned(),
                source,
            })?;
        }
        None => {
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(Error::Stdin)?;
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
    let decoded = Envelope::decode_with(topic, &bytes, &options).map_err(|source| {
        let repairable =
            !lenient && Envelope::decode_with(topic, &bytes, &DecodeOptions::sdk_lenient()).is_ok();
        Error::Decode {
            topic: topic.to_owned(),
            source,
            repairable,
        }
    })?;
    let shown = Shown {
        topic: topic.to_owned(),
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
fn from_hex(text: &[u8]) -> Result<Vec<u8>, Error> {
    let digits: Vec<u8> = text
        .iter()
        .copied()
        .filter(|byte| !byte.is_ascii_whitespace())
        .collect();
    Ok(hex::decode(digits)?)
}
