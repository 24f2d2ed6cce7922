//! ConnectWise Manage REST client: `{site}/v4_6_release/apis/3.0/`, Basic auth
//! `companyId+publicKey:privateKey` and the `clientId` header.

use super::{PsaError, PsaProvider, PsaResult, RetryPolicy};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};

pub struct ConnectWise {
    http: reqwest::Client,
    base: String,
    authorization: String,
    client_id: String,
    policy: RetryPolicy,
}

pub struct Credentials<'a> {
    pub site: &'a str,
    pub company_id: &'a str,
    pub public_key: &'a str,
    pub private_key: &'a str,
    pub client_id: &'a str,
}

impl ConnectWise {
    pub fn new(credentials: Credentials<'_>, policy: RetryPolicy) -> Result<Self, PsaError> {
        let http = reqwest::Client::builder()
            .timeout(policy.timeout)
            .build()
            .map_err(|e| PsaError(format!("cannot build the HTTP client: {e}")))?;
        let basic = format!(
            "{}+{}:{}",
            credentials.company_id, credentials.public_key, credentials.private_key
        );
        Ok(ConnectWise {
            http,
            base: format!("{}/v4_6_release/apis/3.0", credentials.site.trim_end_matches('/')),
            authorization: format!("Basic {}", STANDARD.encode(basic)),
            client_id: credentials.client_id.to_owned(),
            policy,
        })
    }

    /// Sends one call, retrying 5xx, 429, timeouts and connection failures up to the policy's
    /// attempts; anything else is final.
    async fn send(&self, method: Method, path: String, body: Value) -> Result<(), PsaError> {
        let url = format!("{}/{path}", self.base);
        let mut attempt = 1;
        loop {
            let response = self
                .http
                .request(method.clone(), &url)
                .header(header::AUTHORIZATION, &self.authorization)
                .header("clientId", &self.client_id)
                .json(&body)
                .send()
                .await;
            let retry_in = self.policy.backoff * 2u32.saturating_pow(attempt - 1);
            let failure = match response {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) => {
                    let status = r.status();
                    let reason = reason(r.text().await.unwrap_or_default());
                    let failure = PsaError(format!("ConnectWise answered {status}: {reason}"));
                    if !(status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS) {
                        return Err(failure);
                    }
                    failure
                }
                Err(e) if e.is_timeout() => PsaError(format!(
                    "ConnectWise did not answer within {} ms",
                    self.policy.timeout.as_millis()
                )),
                Err(e) => PsaError(format!("ConnectWise could not be reached: {e}")),
            };
            if attempt >= self.policy.max_attempts {
                return Err(failure);
            }
            tracing::warn!(attempt, "retrying a ConnectWise call: {failure}");
            tokio::time::sleep(retry_in).await;
            attempt += 1;
        }
    }
}

/// ConnectWise errors carry `{"code", "message", "errors": [...]}`; keep what a person reads.
fn reason(body: String) -> String {
    let text = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or(body);
    let text = text.trim();
    if text.is_empty() {
        "no reason given".to_owned()
    } else {
        crate::model::truncate_for_message(text)
    }
}

impl PsaProvider for ConnectWise {
    fn check_ticket_id(&self, ticket: &str) -> Result<(), String> {
        match ticket.parse::<u64>() {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("ConnectWise ticket ids are numbers; \"{ticket}\" is not one.")),
        }
    }

    fn post_note<'a>(&'a self, ticket: &'a str, text: &'a str) -> PsaResult<'a> {
        Box::pin(self.send(
            Method::POST,
            format!("service/tickets/{ticket}/notes"),
            json!({ "text": text, "detailDescriptionFlag": true }),
        ))
    }

    fn post_time_entry<'a>(&'a self, ticket: &'a str, hours: f64, notes: &'a str) -> PsaResult<'a> {
        Box::pin(async move {
            let ticket_id: u64 = ticket.parse().map_err(|_| PsaError("bad ticket id".into()))?;
            let body = json!({
                "chargeToId": ticket_id,
                "chargeToType": "ServiceTicket",
                "timeStart": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                "actualHours": hours,
                "notes": notes,
            });
            self.send(Method::POST, "time/entries".to_owned(), body).await
        })
    }

    fn update_status<'a>(&'a self, ticket: &'a str, status: &'a str) -> PsaResult<'a> {
        Box::pin(self.send(
            Method::PATCH,
            format!("service/tickets/{ticket}"),
            json!([{ "op": "replace", "path": "status/name", "value": status }]),
        ))
    }
}
