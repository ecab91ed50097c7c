//! `mod.rs`: declares the generated modules and re-exports their main items.

use proc_macro2::TokenStream;
use quote::quote;

use super::file_attributes;
use crate::model::Model;

/// The tokens of `mod.rs`.
pub fn emit(model: &Model) -> TokenStream {
    let attributes = file_attributes(&format!(
        "Code generated from `{}` by `rainmaker-codegen`: messages, topics, dispatch \
         and the standard-type catalogue. Never edit by hand; run \
         `cargo run -p rainmaker-codegen -- generate`.",
        model.spec_name
    ));
    let standard = model.standard_types.is_some().then(|| {
        quote! {
            pub mod standard_types;
        }
    });
    quote! {
        #attributes
        pub mod dispatch;
        pub mod messages;
        #standard
        pub mod topics;

        pub use dispatch::{DispatchError, Envelope, Message, encode};
        pub use messages::*;
        pub use topics::{Channel, Direction, Qos, Topic, TopicForm};
    }
}
