//! The demo node built from `rainmaker_types::node::Node`.

use crate::error::{Error, Result};
use crate::node::{Input, Machine, NodeOptions, Output};

/// The node of the demo.
#[derive(Debug)]
pub struct DemoNode;

impl Machine for DemoNode {
    fn handle(&mut self, _input: Input<'_>) -> Result<Output, String> {
        Ok(Output::default())
    }
}

/// Builds the demo node.
pub fn demo_node(_options: &NodeOptions) -> Result<DemoNode> {
    Err(Error::Config(
        "the sans-IO node of rainmaker-types is not wired in yet".into(),
    ))
}
