//! `commands.rs`: the TLV command catalogue (`x-rainmaker-tlv`) as constants, with
//! the typed data of each command.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Ctx, Scope, doc};
use crate::model::{Command, TypeRef};

/// The tokens of `commands.rs`.
pub fn emit(ctx: &Ctx<'_>, commands: &[Command]) -> TokenStream {
    let krate = &ctx.krate;
    let rt = &ctx.rt;
    let constants = commands.iter().map(|command| {
        let name = format_ident!("{}", command.constant);
        let id = Literal::u16_unsuffixed(command.id);
        let mut text = format!("`{}` ({}).", command.name, command.id);
        if !command.description.is_empty() {
            text.push_str("\n\n");
            text.push_str(&command.description);
        }
        let data = command
            .data
            .iter()
            .map(|(what, ty)| format!("- {what} data: {}", data_link(ctx, ty)))
            .collect::<Vec<_>>();
        let docs = doc(&text);
        let data_docs = (!data.is_empty()).then(|| {
            let lines = std::iter::once(String::new()).chain(data).map(|line| {
                if line.is_empty() {
                    line
                } else {
                    format!(" {line}")
                }
            });
            quote! { #( #[doc = #lines] )* }
        });
        quote! {
            #docs
            #data_docs
            pub const #name: #krate::tlv::Command = #krate::tlv::Command(#id);
        }
    });
    let infos = commands.iter().map(|command| {
        let constant = format_ident!("{}", command.constant);
        let name = &command.name;
        let direction = command.direction.wire();
        let roles = match command.allowed_roles {
            Some(roles) => {
                let roles = Literal::u8_unsuffixed(roles);
                quote!(::core::option::Option::Some(#roles))
            }
            None => quote!(::core::option::Option::None),
        };
        let description = &command.description;
        quote! {
            #rt::CommandInfo {
                command: #constant,
                name: #name,
                direction: #direction,
                allowed_roles: #roles,
                description: #description,
            }
        }
    });
    let count = Literal::usize_unsuffixed(commands.len());
    let mut data_types: Vec<&str> = commands
        .iter()
        .flat_map(|command| command.data.iter())
        .filter_map(|(_, ty)| match ty {
            TypeRef::Named(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    data_types.sort_unstable();
    data_types.dedup();
    let data_arms = data_types.iter().map(|name| {
        let ty = format_ident!("{}", name);
        quote!(#name => #rt::payload::decode_to_value::<super::messages::#ty>(data),)
    });
    quote! {
        #( #constants )*

        /// Every command of the catalogue, in document order.
        pub static ALL: [#rt::CommandInfo; #count] = [ #( #infos ),* ];

        /// Decodes command data as the generated type called `type_name` (one of the
        /// types the catalogue names) and gives back what it kept, as JSON; `None` for
        /// another name.
        pub fn decode_data(
            type_name: &str,
            data: &[u8],
        ) -> ::core::option::Option<::core::result::Result<#rt::serde_json::Value, #rt::DecodeError>> {
            ::core::option::Option::Some(match type_name {
                #( #data_arms )*
                _ => return ::core::option::Option::None,
            })
        }

        /// What the catalogue says about `command`, if it lists it.
        pub fn info(command: #krate::tlv::Command) -> ::core::option::Option<&'static #rt::CommandInfo> {
            ALL.iter().find(|info| info.command == command)
        }
    }
}

/// A doc link to the type of a command's data.
fn data_link(ctx: &Ctx<'_>, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => format!("[`{name}`](super::messages::{name})"),
        other => format!("`{}`", ctx.rust_type(other, Scope::Sibling)),
    }
}
