//! `#[derive(Device)]` for ESP RainMaker devices.
//!
//! Use it through `rainmaker-types` with the `derive` feature, as with serde.

use proc_macro::TokenStream;

/// Derives `rainmaker_types::Device` for a struct whose fields are the device's params.
#[proc_macro_derive(Device, attributes(device, param))]
pub fn derive_device(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    syn::Error::new_spanned(&input.ident, "#[derive(Device)] is not implemented yet")
        .to_compile_error()
        .into()
}
