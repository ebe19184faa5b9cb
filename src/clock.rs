//! Time as the application sees it. Injectable so tests can move time forward (lockouts, session
//! timeouts) without sleeping.

use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// A source of the current UTC time.
pub trait Clock: Send + Sync + 'static {
    /// The current time in UTC.
    fn now(&self) -> OffsetDateTime;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// The wall clock shifted by an adjustable offset: time still flows, and tests can jump ahead.
#[derive(Debug, Default)]
pub struct ManualClock {
    offset: Mutex<Duration>,
}

impl ManualClock {
    /// Moves this clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut offset = self
            .offset
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *offset += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        let offset = *self
            .offset
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        OffsetDateTime::now_utc() + offset
    }
}
