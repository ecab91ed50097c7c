//! Reconnection delays: capped exponential back-off with jitter, so a fleet that
//! lost its broker does not come back all at once.

use std::time::Duration;

/// The delays between reconnection attempts: `initial`, doubling up to `max`, each
/// with jitter (a random delay between half of it and all of it).
///
/// ```
/// use std::time::Duration;
/// use rainmaker_mqtt::Backoff;
///
/// let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
/// let first = backoff.next_delay();
/// assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
/// for _ in 0..20 {
///     assert!(backoff.next_delay() <= Duration::from_secs(5));
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Backoff {
    /// The firmware driver's back-off, in milliseconds: one schedule for both.
    delays: rainmaker_embedded::Backoff,
}

impl Backoff {
    /// Delays from `initial` up to `max`.
    pub fn new(initial: Duration, max: Duration) -> Self {
        // Seeded from the clock: two processes started together still differ.
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9E37_79B9_7F4A_7C15, |now| now.as_nanos() as u64);
        let millis = |delay: Duration| u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        Self {
            delays: rainmaker_embedded::Backoff::new(millis(initial), millis(max), seed),
        }
    }

    /// The delay before the next attempt.
    pub fn next_delay(&mut self) -> Duration {
        Duration::from_millis(self.delays.next_delay_ms())
    }

    /// Starts again from `initial` (after a successful connection).
    pub fn reset(&mut self) {
        self.delays.reset();
    }
}

impl Default for Backoff {
    /// 250 ms up to 30 s.
    fn default() -> Self {
        Self::new(Duration::from_millis(250), Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap_and_reset() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        let ceilings = [100, 200, 400, 800, 1000, 1000];
        for ceiling in ceilings {
            let delay = backoff.next_delay();
            let ceiling = Duration::from_millis(ceiling);
            assert!(
                delay >= ceiling / 2 && delay <= ceiling,
                "{delay:?} for {ceiling:?}"
            );
        }
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_millis(100));
    }
}
