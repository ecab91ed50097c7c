//! `standard_types.rs`: the catalogue of standard UI, device, service and param types.

use proc_macro2::TokenStream;
use quote::quote;

use super::file_attributes;
use crate::model::StandardTypes;

/// The tokens of `standard_types.rs`.
pub fn emit(standard: &StandardTypes) -> TokenStream {
    let attributes = file_attributes("The standard-type catalogue.");
    let _ = standard;
    quote! {
        #attributes
    }
}
