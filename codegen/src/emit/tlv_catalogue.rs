//! The command constants of the `rainmaker-tlv` codec, from `x-rainmaker-tlv`: an
//! `impl Command` block with one constant per command and `Command::name`, included
//! by the codec crate (which depends on nothing else of this project).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::doc;
use crate::model::Tlv;

/// The tokens of the codec's catalogue file.
pub fn emit(tlv: &Tlv) -> TokenStream {
    let commands = &tlv.commands;
    let constants = commands.iter().map(|command| {
        let name = format_ident!("{}", command.constant);
        let id = Literal::u16_unsuffixed(command.id);
        let text = format!(
            "`{}` ({}).\n\n{}",
            command.name, command.id, command.description
        );
        let docs = doc(&text);
        quote! {
            #docs
            pub const #name: Command = Command(#id);
        }
    });
    let names = commands.iter().map(|command| {
        let id = Literal::u16_unsuffixed(command.id);
        let name = &command.name;
        quote!(#id => #name,)
    });
    quote! {
        impl Command {
            #( #constants )*

            /// The catalogue's name of a known command (`set-params`).
            pub const fn name(self) -> Option<&'static str> {
                Some(match self.0 {
                    #( #names )*
                    _ => return None,
                })
            }
        }
    }
}
