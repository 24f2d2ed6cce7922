//! A stateful stand-in for ConnectWise Manage over real HTTP on loopback: it keeps the notes,
//! time entries and status changes it applies, lists them back the way ConnectWise does (paged,
//! filtered to a ticket), and can be told to misbehave the way a real PSA does — apply a change
//! and then stall past our timeout, apply it and drop the connection without answering, stall
//! without applying, or answer an error. Hand-written HTTP/1.1 (one request per connection), so
//! a fault is exactly the bytes that reach the socket.

use serde_json::{json, Value};
use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
};

/// What the stub does with a write (POST or PATCH).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// Apply it and answer at once.
    None,
    /// Apply it, then say nothing for this long (past the client's timeout), then answer.
    ApplyThenStall(Duration),
    /// Apply it, then close the connection without a word.
    ApplyThenDrop,
    /// Say nothing for this long, never apply it.
    StallWithoutApplying(Duration),
    /// Apply it, then answer this server error.
    ApplyThenError(u16),
    /// Do not apply it; answer this status.
    Refuse(u16),
}

#[derive(Default)]
struct State {
    next_id: u64,
    /// (id, ticket, body as sent)
    notes: Vec<(u64, String, Value)>,
    entries: Vec<(u64, Value)>,
    statuses: Vec<(String, String)>,
    writes: usize,
    lookups: usize,
    /// Faults for the next writes, in order; then [`State::default_fault`].
    script: VecDeque<Fault>,
    default_fault: Option<Fault>,
    /// Lookups stall this long while set.
    lookup_stall: Option<Duration>,
    /// (method, target, Authorization, clientId) of every request.
    seen: Vec<[String; 4]>,
}

#[derive(Clone)]
pub struct StubPsa {
    pub uri: String,
    state: Arc<Mutex<State>>,
}

impl StubPsa {
    pub async fn start() -> StubPsa {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let stub = StubPsa { uri, state: Arc::default() };
        let serving = stub.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let stub = serving.clone();
                tokio::spawn(async move { stub.serve(socket).await });
            }
        });
        stub
    }

    /// The next writes meet these faults, one each, in order.
    pub fn script(&self, faults: impl IntoIterator<Item = Fault>) {
        self.state.lock().unwrap().script.extend(faults);
    }

    /// Every write after the script meets this fault.
    pub fn always(&self, fault: Fault) {
        self.state.lock().unwrap().default_fault = Some(fault);
    }

    pub fn stall_lookups(&self, stall: Option<Duration>) {
        self.state.lock().unwrap().lookup_stall = stall;
    }

    pub fn notes(&self) -> Vec<Value> {
        self.state.lock().unwrap().notes.iter().map(|(_, _, n)| n.clone()).collect()
    }

    pub fn entries(&self) -> Vec<Value> {
        self.state.lock().unwrap().entries.iter().map(|(_, e)| e.clone()).collect()
    }

    pub fn statuses(&self) -> Vec<(String, String)> {
        self.state.lock().unwrap().statuses.clone()
    }

    /// (method, target, Authorization, clientId) of every request so far.
    pub fn seen(&self) -> Vec<[String; 4]> {
        self.state.lock().unwrap().seen.clone()
    }

    /// (writes received, lookups received)
    pub fn requests(&self) -> (usize, usize) {
        let state = self.state.lock().unwrap();
        (state.writes, state.lookups)
    }

    async fn serve(&self, socket: TcpStream) {
        let mut reader = BufReader::new(socket);
        let Some((head, body)) = read_request(&mut reader).await else { return };
        let [method, target, _, _] = head.clone();
        self.state.lock().unwrap().seen.push(head);
        let mut socket = reader.into_inner();
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let path = path.trim_start_matches("/v4_6_release/apis/3.0/").to_owned();
        if method == "GET" {
            let stall = {
                let mut state = self.state.lock().unwrap();
                state.lookups += 1;
                state.lookup_stall
            };
            if let Some(stall) = stall {
                tokio::time::sleep(stall).await;
            }
            let listed = self.list(&path, query);
            respond(&mut socket, 200, &listed).await;
            return;
        }
        let fault = {
            let mut state = self.state.lock().unwrap();
            state.writes += 1;
            let default = state.default_fault.unwrap_or(Fault::None);
            state.script.pop_front().unwrap_or(default)
        };
        let applied = match fault {
            Fault::StallWithoutApplying(stall) => {
                tokio::time::sleep(stall).await;
                return;
            }
            Fault::Refuse(status) => {
                respond(
                    &mut socket,
                    status,
                    &json!({"code": "Refused", "message": "Refused by the stub"}),
                )
                .await;
                return;
            }
            _ => self.apply(&method, &path, body),
        };
        match fault {
            Fault::ApplyThenStall(stall) => {
                tokio::time::sleep(stall).await;
                respond(&mut socket, 201, &applied).await;
            }
            Fault::ApplyThenDrop => drop(socket),
            Fault::ApplyThenError(status) => {
                respond(&mut socket, status, &json!({"code": "Error", "message": "Stub failure"}))
                    .await
            }
            _ => respond(&mut socket, if method == "PATCH" { 200 } else { 201 }, &applied).await,
        }
    }

    fn apply(&self, method: &str, path: &str, body: Value) -> Value {
        let mut state = self.state.lock().unwrap();
        state.next_id += 1;
        let id = state.next_id;
        let parts: Vec<&str> = path.split('/').collect();
        match (method, parts.as_slice()) {
            ("POST", ["service", "tickets", ticket, "notes"]) => {
                state.notes.push((id, ticket.to_string(), body.clone()));
            }
            ("POST", ["time", "entries"]) => state.entries.push((id, body.clone())),
            ("PATCH", ["service", "tickets", ticket]) => {
                let status = body[0]["value"].as_str().unwrap_or_default().to_owned();
                state.statuses.push((ticket.to_string(), status));
            }
            other => panic!("the stub PSA does not know {other:?}"),
        }
        let mut record = body;
        if let Some(fields) = record.as_object_mut() {
            fields.insert("id".into(), id.into());
        }
        record
    }

    /// A ticket's notes or time entries, newest first, paged as asked.
    fn list(&self, path: &str, query: &str) -> Value {
        let state = self.state.lock().unwrap();
        let param = |name: &str| {
            url_decode(
                query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).unwrap_or(""),
            )
        };
        let parts: Vec<&str> = path.split('/').collect();
        let mut records: Vec<Value> = match parts.as_slice() {
            ["service", "tickets", ticket, "notes"] => state
                .notes
                .iter()
                .filter(|(_, t, _)| t == ticket)
                .map(|(id, _, n)| json!({"id": id, "text": n["text"]}))
                .collect(),
            ["time", "entries"] => {
                let conditions = param("conditions");
                state
                    .entries
                    .iter()
                    .filter(|(_, e)| {
                        conditions.contains(&format!("chargeToId={}", e["chargeToId"]))
                    })
                    .map(|(id, e)| json!({"id": id, "mobileGuid": e["mobileGuid"]}))
                    .collect()
            }
            other => panic!("the stub PSA cannot list {other:?}"),
        };
        records.reverse();
        let size: usize = param("pageSize").parse().unwrap_or(25);
        let page: usize = param("page").parse().unwrap_or(1);
        Value::Array(records.into_iter().skip((page - 1) * size).take(size).collect())
    }
}

async fn read_request(reader: &mut BufReader<TcpStream>) -> Option<([String; 4], Value)> {
    let mut line = String::new();
    reader.read_line(&mut line).await.ok()?;
    let mut words = line.split_whitespace();
    let (method, target) = (words.next()?.to_owned(), words.next()?.to_owned());
    let (mut length, mut authorization, mut client_id) = (0, String::new(), String::new());
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).await.ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().ok()?;
            } else if name.eq_ignore_ascii_case("authorization") {
                authorization = value.to_owned();
            } else if name.eq_ignore_ascii_case("clientid") {
                client_id = value.to_owned();
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Some(([method, target, authorization, client_id], body))
}

async fn respond(socket: &mut TcpStream, status: u16, body: &Value) {
    let body = body.to_string();
    let head = format!(
        "HTTP/1.1 {status} Stub\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n",
        body.len()
    );
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(body.as_bytes()).await;
    let _ = socket.shutdown().await;
}

fn url_decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16)
            {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
