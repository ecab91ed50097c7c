//! Reconnection delays: capped exponential back-off with jitter, so that a fleet
//! that lost its broker does not come back all at once.

/// The delays between reconnection attempts: `initial_ms`, doubling up to
/// `max_ms`, each with jitter (a random delay between half of it and all of it).
///
/// ```
/// use rainmaker_embedded::Backoff;
///
/// let mut backoff = Backoff::new(100, 5_000, 42);
/// let first = backoff.next_delay_ms();
/// assert!((50..=100).contains(&first));
/// for _ in 0..20 {
///     assert!(backoff.next_delay_ms() <= 5_000);
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Backoff {
    initial_ms: u64,
    max_ms: u64,
    attempt: u32,
    state: u64,
}

impl Backoff {
    /// Delays from `initial_ms` up to `max_ms`; `seed` makes the jitter differ
    /// from node to node (derive it from the node id or a hardware RNG).
    pub fn new(initial_ms: u64, max_ms: u64, seed: u64) -> Self {
        Self {
            initial_ms,
            max_ms,
            attempt: 0,
            // xorshift needs a non-zero state.
            state: seed | 1,
        }
    }

    /// The delay before the next attempt.
    pub fn next_delay_ms(&mut self) -> u64 {
        let factor = 1u64 << self.attempt.min(20);
        let ceiling = self.initial_ms.saturating_mul(factor).min(self.max_ms);
        self.attempt = self.attempt.saturating_add(1);
        // xorshift64: enough for jitter.
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        let half = ceiling / 2;
        half + self.state % (ceiling - half + 1)
    }

    /// Starts again from the first delay (after a connection that lasted).
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

impl Default for Backoff {
    /// 250 ms up to 30 s, as the host driver.
    fn default() -> Self {
        Self::new(250, 30_000, 0x9E37_79B9_7F4A_7C15)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn delays_double_up_to_the_cap_with_jitter_and_reset() {
        let mut backoff = Backoff::new(100, 1_000, 7);
        for ceiling in [100, 200, 400, 800, 1_000, 1_000] {
            let delay = backoff.next_delay_ms();
            assert!(
                (ceiling / 2..=ceiling).contains(&delay),
                "{delay} for {ceiling}"
            );
        }
        backoff.reset();
        assert!(backoff.next_delay_ms() <= 100);
    }

    #[test]
    fn two_seeds_give_two_schedules() {
        let delays = |seed| {
            let mut backoff = Backoff::new(1_000, 60_000, seed);
            (0..8).map(|_| backoff.next_delay_ms()).collect::<Vec<_>>()
        };
        assert_ne!(delays(1), delays(2));
    }
}
