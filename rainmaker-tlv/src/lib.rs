//! TLV8 codec for the ESP RainMaker command-response channel
//! (`node/<node_id>/to-node` and `node/<node_id>/from-node`).
//!
//! The crate decodes frames without copying, encodes them byte for byte like the
//! official C implementation, and routes commands to handlers on the node side.
#![no_std]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;
