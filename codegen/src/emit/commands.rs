//! `commands.rs`: what the TLV command catalogue (`x-rainmaker-tlv`) says about each
//! command, with the typed data it carries. The command numbers themselves are
//! constants of the codec (`tlv::Command::SET_PARAMS`), generated into
//! `rainmaker-tlv`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Ctx, Scope};
use crate::model::{Command, TypeRef};

/// The tokens of `commands.rs`.
pub fn emit(ctx: &Ctx<'_>, commands: &[Command]) -> TokenStream {
    let krate = &ctx.krate;
    let rt = &ctx.rt;
    let infos = commands.iter().map(|command| info(ctx, command));
    let count = Literal::usize_unsuffixed(commands.len());
    quote! {
        /// Every command of the catalogue, in document order.
        pub static ALL: [#rt::CommandInfo; #count] = [ #( #infos ),* ];

        /// What the catalogue says about `command`, if it lists it.
        pub fn info(command: #krate::tlv::Command) -> ::core::option::Option<&'static #rt::CommandInfo> {
            ALL.iter().find(|info| info.command == command)
        }
    }
}

/// The `CommandInfo` of one command.
fn info(ctx: &Ctx<'_>, command: &Command) -> TokenStream {
    let krate = &ctx.krate;
    let rt = &ctx.rt;
    let constant = format_ident!("{}", command.constant);
    let name = &command.name;
    let direction = format_ident!("{}", command.direction.variant());
    let roles = match command.allowed_roles {
        Some(roles) => {
            let roles = Literal::u8_unsuffixed(roles);
            quote!(::core::option::Option::Some(#krate::tlv::UserRole(#roles)))
        }
        None => quote!(::core::option::Option::None),
    };
    let description = &command.description;
    let data = command.data.iter().filter_map(|(what, ty)| {
        let TypeRef::Named(type_name) = ty else {
            return None;
        };
        let rust = ctx.rust_type(ty, Scope::Sibling);
        Some(quote! {
            #rt::CommandData {
                what: #what,
                type_name: #type_name,
                to_json: #rt::payload::decode_to_value::<#rust>,
            }
        })
    });
    quote! {
        #rt::CommandInfo {
            command: #krate::tlv::Command::#constant,
            name: #name,
            direction: #rt::CommandDirection::#direction,
            allowed_roles: #roles,
            description: #description,
            data: &[ #( #data ),* ],
        }
    }
}
