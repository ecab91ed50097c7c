//! The catalogue of the `rainmaker-tlv` codec, from `x-rainmaker-tlv`: one `impl`
//! block each for `Tag`, `Status`, `UserRole` and `Command`, with a constant per
//! value the document names and the document's name of each, included by the codec
//! crate (which depends on nothing else of this project).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::doc;
use crate::model::{NamedByte, Tlv};

/// The tokens of the codec's catalogue file.
pub fn emit(tlv: &Tlv) -> TokenStream {
    let tags = named_impl(
        "Tag",
        "The document's name of a known tag (`request_id`).",
        tlv.tags
            .iter()
            .map(|tag| Named::new(&tag.constant, &tag.name, tag.tag, &tag.description)),
    );
    let statuses = named_impl(
        "Status",
        "The document's name of a known status (`auth-failed`).",
        tlv.statuses.iter().map(byte),
    );
    let flags = tlv.roles.iter().map(|role| {
        let constant = format_ident!("{}", role.constant);
        let name = &role.name;
        quote!((UserRole::#constant, #name))
    });
    let role_count = Literal::usize_unsuffixed(tlv.roles.len());
    let role_constants = tlv
        .roles
        .iter()
        .map(|role| constant("UserRole", &byte(role)));
    let commands = named_impl(
        "Command",
        "The catalogue's name of a known command (`set-params`).",
        tlv.commands.iter().map(|command| {
            Named::new(
                &command.constant,
                &command.name,
                command.id,
                &command.description,
            )
        }),
    );
    quote! {
        #tags
        #statuses

        impl UserRole {
            #( #role_constants )*

            /// The base role flags with the document's name of each, in bit order.
            pub const FLAGS: [(UserRole, &'static str); #role_count] = [ #( #flags ),* ];
        }

        #commands
    }
}

/// A value the document names.
struct Named<'m> {
    constant: &'m str,
    name: &'m str,
    value: u16,
    description: &'m str,
}

impl<'m> Named<'m> {
    fn new(constant: &'m str, name: &'m str, value: impl Into<u16>, description: &'m str) -> Self {
        Self {
            constant,
            name,
            value: value.into(),
            description,
        }
    }

    /// The value as written in code: a bare number.
    fn literal(&self) -> Literal {
        Literal::u16_unsuffixed(self.value)
    }
}

fn byte(entry: &NamedByte) -> Named<'_> {
    Named::new(
        &entry.constant,
        &entry.name,
        entry.value,
        &entry.description,
    )
}

/// The constant of `value` on the newtype `ty`.
fn constant(ty: &str, named: &Named<'_>) -> TokenStream {
    let ty = format_ident!("{ty}");
    let name = format_ident!("{}", named.constant);
    let value = named.literal();
    let mut text = format!("`{}` ({}).", named.name, named.value);
    if !named.description.is_empty() {
        text.push_str("\n\n");
        text.push_str(named.description);
    }
    let docs = doc(&text);
    quote! {
        #docs
        pub const #name: #ty = #ty(#value);
    }
}

/// An `impl` block of `ty` with a constant per value and `name()`.
fn named_impl<'m>(
    ty: &str,
    name_doc: &str,
    values: impl Iterator<Item = Named<'m>>,
) -> TokenStream {
    let values: Vec<Named<'m>> = values.collect();
    let constants = values.iter().map(|named| constant(ty, named));
    let arms = values.iter().map(|named| {
        let (value, name) = (named.literal(), named.name);
        quote!(#value => #name,)
    });
    let ty = format_ident!("{ty}");
    let name_doc = doc(name_doc);
    quote! {
        impl #ty {
            #( #constants )*

            #name_doc
            pub const fn name(self) -> Option<&'static str> {
                Some(match self.0 {
                    #( #arms )*
                    _ => return None,
                })
            }
        }
    }
}
