//! ConnectWise Manage REST client: `{site}/v4_6_release/apis/3.0/`, Basic auth
//! `companyId+publicKey:privateKey` and the `clientId` header. One request per call; retries
//! and lookups are [`super::delivery`]'s decisions.
//!
//! How a pushed record is found again: a time entry carries the push id in `mobileGuid` (a
//! field ConnectWise keeps for exactly this — a client-made id — and which is not printed on
//! invoices); a note has no such field, so its text ends with a `[FlowPilot ref <push id>]`
//! line. Lookups list the ticket's own notes or time entries (`conditions` on the ticket, which
//! every ConnectWise version filters on) and match the marker here, rather than trusting a
//! `conditions` search on `mobileGuid` or on note text, which not every version indexes.

use super::{Attempt, PsaError, PsaFuture, PsaProvider, Push, PushKind};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

pub struct ConnectWise {
    http: reqwest::Client,
    base: String,
    authorization: String,
    client_id: String,
    timeout: Duration,
}

pub struct Credentials<'a> {
    pub site: &'a str,
    pub company_id: &'a str,
    pub public_key: &'a str,
    pub private_key: &'a str,
    pub client_id: &'a str,
}

/// Records per page when listing a ticket's notes or time entries.
const PAGE_SIZE: usize = 1000;
/// Pages a lookup reads at most (a ticket with more records than this is not one we push to).
const MAX_PAGES: usize = 10;

/// The line that ends every note we push: how the note is found again.
pub fn note_marker(push: &Push) -> String {
    format!("[FlowPilot ref {}]", push.id)
}

impl ConnectWise {
    pub fn new(credentials: Credentials<'_>, timeout: Duration) -> Result<Self, PsaError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
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
            timeout,
        })
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}/{path}", self.base))
            .header(header::AUTHORIZATION, &self.authorization)
            .header("clientId", &self.client_id)
    }

    fn no_answer(&self, error: &reqwest::Error) -> PsaError {
        if error.is_timeout() {
            PsaError(format!("ConnectWise did not answer within {} ms", self.timeout.as_millis()))
        } else {
            PsaError(format!("ConnectWise did not answer: {error}"))
        }
    }

    async fn attempt(&self, method: Method, path: String, body: Value) -> Attempt {
        let response = match self.request(method, &path).json(&body).send().await {
            Ok(response) => response,
            // The connection was never made: nothing reached the PSA.
            Err(e) if e.is_connect() => {
                return Attempt::NotApplied {
                    reason: PsaError(format!("ConnectWise could not be reached: {e}")),
                    retry: true,
                }
            }
            Err(e) => return Attempt::NoAnswer { reason: self.no_answer(&e) },
        };
        let status = response.status();
        let text = match response.text().await {
            Ok(text) => text,
            Err(e) if status.is_success() => {
                // Success was said, the record id was lost on the way: it is there.
                tracing::warn!("reading ConnectWise's answer: {e}");
                return Attempt::Applied { record_id: None };
            }
            Err(_) => String::new(),
        };
        if status.is_success() {
            let record_id = serde_json::from_str::<Value>(&text).ok().and_then(|v| id_of(&v));
            return Attempt::Applied { record_id };
        }
        let reason = PsaError(format!("ConnectWise answered {status}: {}", reason(text)));
        if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
            Attempt::Failed { reason }
        } else {
            Attempt::NotApplied { reason, retry: status == StatusCode::TOO_MANY_REQUESTS }
        }
    }

    /// The first record of the ticket's `path` list (paged) for which `is_ours` holds.
    async fn find_in(
        &self,
        path: &str,
        query: &[(&str, String)],
        is_ours: impl Fn(&Value) -> bool,
    ) -> Result<Option<String>, PsaError> {
        for page in 1..=MAX_PAGES {
            let response = self
                .request(Method::GET, path)
                .query(query)
                .query(&[("pageSize", PAGE_SIZE.to_string()), ("page", page.to_string())])
                .send()
                .await
                .map_err(|e| self.no_answer(&e))?;
            let status = response.status();
            let text = response.text().await.map_err(|e| self.no_answer(&e))?;
            if !status.is_success() {
                return Err(PsaError(format!(
                    "looking the push up, ConnectWise answered {status}: {}",
                    reason(text)
                )));
            }
            let records: Vec<Value> = serde_json::from_str(&text).map_err(|e| {
                PsaError(format!("looking the push up, ConnectWise sent no list: {e}"))
            })?;
            if let Some(found) = records.iter().find(|r| is_ours(r)) {
                return Ok(Some(id_of(found).unwrap_or_default()));
            }
            if records.len() < PAGE_SIZE {
                return Ok(None);
            }
        }
        Err(PsaError(format!("the ticket has over {} records to search", PAGE_SIZE * MAX_PAGES)))
    }
}

fn id_of(record: &Value) -> Option<String> {
    match record.get("id")? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
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

    fn send<'a>(&'a self, push: &'a Push) -> PsaFuture<'a, Attempt> {
        let ticket = &push.ticket;
        let (method, path, body) = match &push.kind {
            PushKind::Note { text } => (
                Method::POST,
                format!("service/tickets/{ticket}/notes"),
                json!({
                    "text": format!("{text}\n\n{}", note_marker(push)),
                    "detailDescriptionFlag": true,
                }),
            ),
            PushKind::TimeEntry { hours, notes, time_start } => (
                Method::POST,
                "time/entries".to_owned(),
                json!({
                    "chargeToId": ticket.parse::<u64>().unwrap_or_default(),
                    "chargeToType": "ServiceTicket",
                    "timeStart": time_start.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    "actualHours": hours,
                    "notes": notes,
                    "mobileGuid": push.id,
                }),
            ),
            PushKind::Status { status } => (
                Method::PATCH,
                format!("service/tickets/{ticket}"),
                json!([{ "op": "replace", "path": "status/name", "value": status }]),
            ),
        };
        Box::pin(self.attempt(method, path, body))
    }

    fn find<'a>(&'a self, push: &'a Push) -> PsaFuture<'a, Result<Option<String>, PsaError>> {
        Box::pin(async move {
            let ticket = &push.ticket;
            match &push.kind {
                PushKind::Note { .. } => {
                    let marker = note_marker(push);
                    self.find_in(
                        &format!("service/tickets/{ticket}/notes"),
                        &[("fields", "id,text".into()), ("orderBy", "id desc".into())],
                        |note| {
                            note.get("text")
                                .and_then(Value::as_str)
                                .is_some_and(|t| t.contains(&marker))
                        },
                    )
                    .await
                }
                PushKind::TimeEntry { .. } => {
                    let guid = push.id.to_string();
                    self.find_in(
                        "time/entries",
                        &[
                            (
                                "conditions",
                                format!("chargeToType=\"ServiceTicket\" and chargeToId={ticket}"),
                            ),
                            ("fields", "id,mobileGuid".into()),
                            ("orderBy", "id desc".into()),
                        ],
                        |entry| {
                            entry
                                .get("mobileGuid")
                                .and_then(Value::as_str)
                                .is_some_and(|g| g.eq_ignore_ascii_case(&guid))
                        },
                    )
                    .await
                }
                PushKind::Status { .. } => Ok(None),
            }
        })
    }
}
