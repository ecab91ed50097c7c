//! The one error type of the examples: every variant prints as one line.

use std::fmt;
use std::time::Duration;

/// Why a demo or test run stopped.
#[derive(Debug)]
pub enum Error {
    /// A command-line option or a file it names is wrong.
    Config(String),
    /// The TLS set-up (CA, certificate or key) could not be loaded, or the broker
    /// address is wrong.
    Broker(rainmaker_mqtt::Error),
    /// The embedded broker did not start.
    Embedded(String),
    /// An MQTT connection failed or was refused.
    Mqtt {
        /// Which side: `node` or `cloud`.
        who: &'static str,
        /// What happened.
        reason: String,
    },
    /// An expected step of the conversation did not happen in time.
    Timeout {
        /// The step's name.
        step: String,
        /// How long it was waited for.
        waited: Duration,
    },
    /// A step happened, but not as expected.
    Step {
        /// The step's name.
        step: String,
        /// What was wrong.
        reason: String,
    },
}

impl Error {
    pub(crate) fn mqtt(who: &'static str, reason: impl fmt::Display) -> Self {
        Error::Mqtt {
            who,
            reason: reason.to_string(),
        }
    }

    pub(crate) fn step(step: &str, reason: impl fmt::Display) -> Self {
        Error::Step {
            step: step.to_owned(),
            reason: reason.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(reason) => write!(f, "configuration: {reason}"),
            Error::Broker(error) => write!(f, "broker set-up: {error}"),
            Error::Embedded(reason) => write!(f, "embedded broker: {reason}"),
            Error::Mqtt { who, reason } => write!(f, "{who} MQTT connection: {reason}"),
            Error::Timeout { step, waited } => write!(
                f,
                "step \"{step}\" did not happen within {:.1} s",
                waited.as_secs_f64()
            ),
            Error::Step { step, reason } => write!(f, "step \"{step}\" failed: {reason}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Broker(error) => Some(error),
            _ => None,
        }
    }
}

impl From<rainmaker_mqtt::Error> for Error {
    fn from(error: rainmaker_mqtt::Error) -> Self {
        Error::Broker(error)
    }
}

impl From<rainmaker_mqtt::TlsError> for Error {
    fn from(error: rainmaker_mqtt::TlsError) -> Self {
        Error::Broker(error.into())
    }
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
