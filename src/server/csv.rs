//! CSV exports (SPEC §8): RFC 4180 (comma-separated, CRLF line ends, a field quoted when it holds
//! a comma, a quote or a line break, quotes doubled), UTF-8, one header row; a cell a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is
//! prefixed with `'`. The sessions list streams from the database through a bounded channel, so
//! an export of any size holds a few chunks in memory; the tabs' tables are small and written
//! from their answers.

use crate::model::WindowInfo;
use axum::{
    body::Body,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use tokio::sync::mpsc;

/// How much a chunk of a streamed export holds before it is sent.
const CHUNK_BYTES: usize = 32 * 1024;
/// Chunks in flight between the database reader and the client: the export's memory bound.
const CHUNKS_IN_FLIGHT: usize = 4;

/// Appends one field, safe for a spreadsheet and quoted as RFC 4180 needs.
fn push_field(out: &mut String, text: &str) {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = text.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    if quoted {
        for (i, part) in text.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// One field, safe for a spreadsheet and quoted as RFC 4180 needs.
#[cfg(test)]
fn field(text: &str) -> String {
    let mut out = String::new();
    push_field(&mut out, text);
    out
}

/// Appends one record (its fields made safe) and the CRLF that ends it.
pub fn record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, value) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, value.as_ref());
    }
    out.push_str("\r\n");
}

/// A number as a CSV cell: empty when absent.
pub fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// `northwind-msp_sessions_2026-10-31_2026-11-29.csv`: the account, the data and the window.
pub fn filename(account: &str, data: &str, window: &WindowInfo) -> String {
    let mut slug = String::new();
    for c in account.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "account" } else { slug };
    format!("{slug}_{data}_{}_{}.csv", window.from, window.to)
}

fn headers(response: &mut Response, name: &str) {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
}

/// A whole small table as a CSV download.
pub fn download(name: &str, header_row: &[&str], rows: Vec<Vec<String>>) -> Response {
    let mut out = String::new();
    record(&mut out, header_row);
    for row in rows {
        record(&mut out, &row);
    }
    let mut response = out.into_response();
    headers(&mut response, name);
    response
}

/// Where a streamed export's producer writes: records gathered into chunks, each sent when
/// full (waiting while the client is [`CHUNKS_IN_FLIGHT`] behind).
pub struct Writer {
    buffer: String,
    sender: mpsc::Sender<Result<String, std::io::Error>>,
}

impl Writer {
    /// Writes a record; `false` once the client has gone (stop producing).
    pub async fn record<S: AsRef<str>>(&mut self, fields: &[S]) -> bool {
        record(&mut self.buffer, fields);
        if self.buffer.len() < CHUNK_BYTES {
            return true;
        }
        let chunk = std::mem::replace(&mut self.buffer, String::with_capacity(CHUNK_BYTES * 2));
        self.sender.send(Ok(chunk)).await.is_ok()
    }

    /// Sends what is left; an error ends the download short (the client sees it fail rather
    /// than a file that looks whole).
    pub async fn finish(self, result: Result<(), String>) {
        let last = match result {
            Ok(()) => Ok(self.buffer),
            Err(error) => {
                tracing::warn!(%error, "a CSV export failed part-way");
                Err(std::io::Error::other(error))
            }
        };
        let _ = self.sender.send(last).await;
    }
}

/// The chunks a producer sends, as the response body's stream. Once the producer is done it
/// answers "no more" however often it is asked (a compressing layer asks again).
struct Chunks(mpsc::Receiver<Result<String, std::io::Error>>);

impl futures_util::Stream for Chunks {
    type Item = Result<String, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// A streamed CSV download: the header row now, then whatever `produce` writes, as it writes
/// it. `produce` runs on a task of its own (given the tenant scope by the caller).
pub fn stream<F, Fut>(name: &str, header_row: &[&str], spawn: F) -> Response
where
    F: FnOnce(Writer) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (sender, receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let mut buffer = String::with_capacity(CHUNK_BYTES * 2);
    record(&mut buffer, header_row);
    tokio::spawn(spawn(Writer { buffer, sender }));
    let mut response = Body::from_stream(Chunks(receiver)).into_response();
    headers(&mut response, name);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_when_they_must_be_and_formulas_are_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("Zürich ☃"), "Zürich ☃");
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("+44"), "'+44");
        assert_eq!(field("-2"), "'-2");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("\rx"), "\"'\rx\"");
        assert_eq!(field("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        let mut out = String::new();
        record(&mut out, &["a", "b,c", ""]);
        assert_eq!(out, "a,\"b,c\",\r\n");
    }

    #[test]
    fn filenames_say_account_data_and_window() {
        let window = WindowInfo {
            from: "2026-10-31".into(),
            to: "2026-11-29".into(),
            timezone: "UTC".into(),
            as_of: String::new(),
        };
        assert_eq!(
            filename("Northwind MSP", "sessions", &window),
            "northwind-msp_sessions_2026-10-31_2026-11-29.csv"
        );
        assert_eq!(
            filename("Ünïcode & Co.", "coverage", &window),
            "n-code-co_coverage_2026-10-31_2026-11-29.csv"
        );
        assert_eq!(
            filename("***", "psa-metrics", &window),
            "account_psa-metrics_2026-10-31_2026-11-29.csv"
        );
    }
}
