//! Generated code as a private module of a binary, the way a user's build script and
//! `include!` place it: most of each document goes unused here, and the generated
//! code must still compile without a warning (CI builds this target with
//! `-D warnings`). Prints how many channels each document has.

mod hostile {
    include!(concat!(env!("OUT_DIR"), "/doc_hostile/mod.rs"));
}

mod construct_messages {
    include!(concat!(env!("OUT_DIR"), "/doc_messages/mod.rs"));
}

fn main() {
    println!(
        "hostile: {} channels; messages: {} channels",
        hostile::Channel::ALL.len(),
        construct_messages::Channel::ALL.len()
    );
}
