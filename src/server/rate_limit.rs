//! Each user may load each data source `n` times a minute, whichever way they ask for it — the
//! REST endpoint, the tab's server function, or the page itself (a page view counts once).
//! GCRA from the `governor` crate: a burst of `n`, refilled evenly over the minute. Beyond it:
//! 429 with `Retry-After`.

use crate::{error::AppError, routes::DataSource};
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use uuid::Uuid;

pub struct RateLimiter {
    limiter: DefaultKeyedRateLimiter<(Uuid, DataSource)>,
}

impl RateLimiter {
    pub fn per_minute(requests: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN));
        RateLimiter { limiter: DefaultKeyedRateLimiter::keyed(quota) }
    }

    /// Spends one of the user's loads of `source`, or says how long to wait.
    pub fn check(&self, user_id: Uuid, source: DataSource) -> Result<(), AppError> {
        self.limiter.check_key(&(user_id, source)).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            AppError::RateLimited { retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64 }
        })
    }

    /// Drops the state of keys that are back to a full burst; run now and then.
    pub fn forget_idle_keys(&self) {
        self.limiter.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_quota_then_refuses_with_a_retry_after() {
        let limiter = RateLimiter::per_minute(15);
        let user = Uuid::new_v4();
        for _ in 0..15 {
            limiter.check(user, DataSource::Overview).unwrap();
        }
        match limiter.check(user, DataSource::Overview) {
            Err(AppError::RateLimited { retry_after_secs }) => {
                assert!((1..=4).contains(&retry_after_secs), "{retry_after_secs}")
            }
            other => panic!("expected 429, got {other:?}"),
        }
    }

    #[test]
    fn users_and_data_sources_have_separate_budgets() {
        let limiter = RateLimiter::per_minute(1);
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        limiter.check(alice, DataSource::Coverage).unwrap();
        assert!(limiter.check(alice, DataSource::Coverage).is_err());
        limiter.check(alice, DataSource::Psa).unwrap();
        limiter.check(bob, DataSource::Coverage).unwrap();
    }
}
