//! Each user may call each analytics endpoint `n` times a minute (GCRA from the `governor`
//! crate: a burst of `n`, refilled evenly over the minute). Beyond it: 429 with `Retry-After`.

use crate::error::AppError;
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use uuid::Uuid;

pub struct RateLimiter {
    limiter: DefaultKeyedRateLimiter<(Uuid, String)>,
}

impl RateLimiter {
    pub fn per_minute(requests: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN));
        RateLimiter { limiter: DefaultKeyedRateLimiter::keyed(quota) }
    }

    pub fn check(&self, user_id: Uuid, endpoint: &str) -> Result<(), AppError> {
        self.limiter.check_key(&(user_id, endpoint.to_owned())).map_err(|not_until| {
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
            limiter.check(user, "/api/v1/analytics/flowpilot").unwrap();
        }
        match limiter.check(user, "/api/v1/analytics/flowpilot") {
            Err(AppError::RateLimited { retry_after_secs }) => {
                assert!((1..=4).contains(&retry_after_secs), "{retry_after_secs}")
            }
            other => panic!("expected 429, got {other:?}"),
        }
    }

    #[test]
    fn users_and_endpoints_have_separate_budgets() {
        let limiter = RateLimiter::per_minute(1);
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        limiter.check(alice, "/a").unwrap();
        assert!(limiter.check(alice, "/a").is_err());
        limiter.check(alice, "/b").unwrap();
        limiter.check(bob, "/a").unwrap();
    }
}
