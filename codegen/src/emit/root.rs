//! `mod.rs`: the generated modules, each included from its own file, and
//! re-exports of their main items.
//!
//! No file starts with an inner attribute, so the output can be used either as a
//! module (`#[path = "DIR/mod.rs"] mod api;`) or `include!`d from a build script.
//! Each module allows the lints that generated code cannot help: a private module
//! in a binary uses only part of what a document gives (`dead_code`,
//! `unused_imports`), a document without channels has empty enums
//! (`unreachable_code`), and names come from the document.

use proc_macro2::TokenStream;
use quote::quote;

/// One generated module: its name, file and docs.
pub struct Module {
    /// The module name (`messages`).
    pub name: &'static str,
    /// Its documentation.
    pub doc: String,
}

/// The tokens of `mod.rs` for `modules` (each in `<name>.rs`).
pub fn emit(modules: &[Module]) -> TokenStream {
    let declarations = modules.iter().map(|module| {
        let name = super::ident(module.name);
        let file = format!("{}.rs", module.name);
        let lines = module.doc.lines().map(|line| format!(" {line}"));
        let docs = quote! { #( #[doc = #lines] )* };
        quote! {
            #docs
            #[allow(
                dead_code,
                unreachable_code,
                unused_imports,
                unused_variables,
                clippy::enum_variant_names,
                clippy::large_enum_variant,
                clippy::needless_return,
                clippy::too_many_arguments,
                clippy::wrong_self_convention,
                unreachable_patterns
            )]
            pub mod #name {
                include!(#file);
            }
        }
    });
    let views = modules
        .iter()
        .any(|module| module.name == "views")
        .then(|| quote!(EnvelopeRef, MessageRef,));
    quote! {
        #( #declarations )*

        #[allow(unused_imports)]
        pub use dispatch::{Envelope, Message, MessageKind, #views};
        #[allow(unused_imports)]
        pub use topics::{Channel, Topic, TopicRef};
    }
}
