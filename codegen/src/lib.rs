//! Compiles `spec/rainmaker-node.asyncapi.yaml` into the generated modules of
//! `rainmaker-types`.
//!
//! The generator is a library (spec -> intermediate model -> Rust tokens) with a thin
//! binary, `rainmaker-codegen`, on top.

pub mod pointer;
pub mod spec;
pub mod validate;

pub use pointer::Pointer;
pub use spec::{Spec, SpecError};
