//! Spec -> standard-type catalogue (`x-rainmaker-standard-types`).

use crate::error::Result;
use crate::model::StandardTypes;
use crate::spec::Spec;

/// Reads the standard-type catalogue, if the spec has one.
pub fn load(spec: &Spec) -> Result<Option<StandardTypes>> {
    let _ = spec;
    Ok(None)
}
