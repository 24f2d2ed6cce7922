//! Sign-in throttling (SPEC §10): 10 failures in 15 minutes per email and per client IP, then
//! 429 with `Retry-After` — before any password hash is computed. A success resets the email's
//! count. The counts live in PostgreSQL ([`rate_limit`]), shared by every instance.

use crate::{error::AppError, server::rate_limit};
use axum::http::HeaderMap;
use sqlx::PgPool;
use std::{net::IpAddr, time::Duration};

const FAILURES: rate_limit::Limit =
    rate_limit::Limit { max: 10, window: Duration::from_secs(15 * 60) };

/// The buckets one sign-in attempt counts against.
pub struct Throttle {
    email: String,
    ip: Option<String>,
}

impl Throttle {
    pub fn new(email: &str, ip: Option<IpAddr>) -> Self {
        Throttle {
            email: format!("signin-email:{}", email.trim().to_lowercase()),
            ip: ip.map(|ip| format!("signin-ip:{ip}")),
        }
    }

    /// 429 when the email or the client IP has used up its failures.
    pub async fn check(&self, pool: &PgPool) -> Result<(), AppError> {
        rate_limit::check(pool, &self.email, FAILURES).await?;
        match &self.ip {
            Some(ip) => rate_limit::check(pool, ip, FAILURES).await,
            None => Ok(()),
        }
    }

    pub async fn failed(&self, pool: &PgPool) -> Result<(), AppError> {
        rate_limit::record(pool, &self.email, FAILURES).await?;
        match &self.ip {
            Some(ip) => rate_limit::record(pool, ip, FAILURES).await,
            None => Ok(()),
        }
    }

    pub async fn succeeded(&self, pool: &PgPool) -> Result<(), AppError> {
        rate_limit::reset(pool, &self.email).await
    }
}

/// The client's address: the last entry of the configured proxy header when there is one
/// (what the trusted proxy itself saw), else the connection's peer.
pub fn client_ip(
    headers: &HeaderMap,
    header: Option<&str>,
    peer: Option<IpAddr>,
) -> Option<IpAddr> {
    match header {
        Some(name) => headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
            .or(peer),
        None => peer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_ip_is_the_proxys_last_entry_only_when_a_header_is_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 198.51.100.7".parse().unwrap());
        let peer = Some("10.0.0.2".parse().unwrap());
        assert_eq!(client_ip(&headers, None, peer), peer, "not trusted: the peer");
        assert_eq!(
            client_ip(&headers, Some("x-forwarded-for"), peer),
            Some("198.51.100.7".parse().unwrap())
        );
        assert_eq!(client_ip(&HeaderMap::new(), Some("x-forwarded-for"), peer), peer);
    }
}
