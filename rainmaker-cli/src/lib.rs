//! The library side of the `rainmaker` command: the conformance checker
//! ([`check`]) that `rainmaker check-node` runs, for tests and tools that check
//! nodes without the command line.

pub mod check;
