//! `topics.rs`: the parameter types (`params`), the `Channel` kinds and their
//! table (`channels`), the owned `Topic` and the borrowed `TopicRef` (`topic`),
//! and the one parser both use (`parser`).
//!
//! The parser is compiled from the [`TopicTree`](crate::topic_tree::TopicTree) of
//! the channel addresses; of the failed paths, the one that got furthest names the
//! segment at fault.

mod channels;
mod params;
mod parser;
mod topic;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, doc};
use crate::model::Channel;

/// The tokens of `topics.rs`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let params = ctx
        .model
        .params
        .iter()
        .map(|param| params::emit_param(ctx, param));
    let channel = channels::emit(ctx);
    let topic = topic::emit_topic(ctx);
    let topic_ref = topic::emit_topic_ref(ctx);
    let parser = parser::emit(ctx);
    let external = params::emit_external_rules(ctx);
    quote! {
        #( #params )*
        #external
        #channel
        #topic
        #topic_ref
        #parser
    }
}

/// The doc comment of a channel's variant: its address, its basic-ingest alias and
/// its description.
pub(super) fn channel_doc(channel: &Channel) -> TokenStream {
    let mut text = format!("`{}`", channel.address);
    if let Some(ingest) = &channel.ingest {
        text.push_str(&format!(
            " (basic ingest: `{}`)",
            ingest.alias(&channel.address)
        ));
    }
    text.push('.');
    if let Some(description) = &channel.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    doc(&text)
}
