//! What each REST route does, asks and answers — one entry per route the router mounts under
//! `/api/` (and the two probes), with the schemas of the types its handler reads and writes.

use super::{
    formatted, header_param, integer, one_of, path_id, query, Auth, Body, Operation, Spec,
};
use crate::{
    drill::{STATUSES, STEPS, TIERS},
    flow_quality::FlowSort,
    model::{
        CoverageResponse, EnhancedPsaMetrics, FiltersResponse, FlowQualityResponse,
        OverviewResponse, Period, SessionDetail, SessionsResponse, MAX_WINDOW_DAYS,
    },
    routes::{self, DataSource},
    server::{
        auth::handlers::{LoginRequest, SignedIn},
        database::Readiness,
        ingest::{
            MatchFlow, NoteBody, OpenSession, Outcome, SessionOut, StatusBody, Ticket,
            TimeEntryBody,
        },
        psa::ledger::PushOut,
        queries::sessions::MAX_LIMIT,
    },
};
use axum::http::Method;
use utoipa::openapi::{path::Parameter, schema::KnownFormat, Ref};

const ANALYTICS: &str = "Analytics";
const EXPORTS: &str = "Exports";
const INGEST: &str = "Ingest";
const PUSHES: &str = "PSA pushes";
const SIGN_IN: &str = "Sign-in";
const SERVICE: &str = "Service";

const JSON: &[&str] = &["application/json"];

pub fn describe(spec: &mut Spec) {
    analytics(spec);
    drill_down(spec);
    sign_in(spec);
    ingest(spec);
    pushes(spec);
    service(spec);
}

/// The window and the filters every analytics read takes (SPEC §7).
fn view_parameters() -> Vec<Parameter> {
    let periods: Vec<&str> = Period::ALL.iter().map(|p| p.as_str()).collect();
    let range = format!(
        "Account-local days, both inclusive, at most {MAX_WINDOW_DAYS} days, `to` not after \
         today; together they replace `period`."
    );
    vec![
        query("period", one_of(&periods), "The last 7, 30 or 90 days (default 30d)."),
        query("from", formatted(KnownFormat::Date), &format!("First day. {range}")),
        query("to", formatted(KnownFormat::Date), &format!("Last day. {range}")),
        query(
            "technician",
            formatted(KnownFormat::Uuid),
            "Only this technician's sessions (a user of the account; another's id is 404).",
        ),
        query(
            "client",
            formatted(KnownFormat::Uuid),
            "Only this client's sessions (a client of the account; another's id is 404).",
        ),
    ]
}

/// The drill parameters of SPEC §8: which of the view's sessions a number counted.
fn drill_parameters() -> Vec<Parameter> {
    vec![
        query("domain", super::string(), "Sessions of this problem domain."),
        query(
            "unmapped",
            one_of(&["true", "false"]),
            "`true`: sessions whose domain has no flow (excludes `domain`).",
        ),
        query("flow", formatted(KnownFormat::Uuid), "Sessions matched to this flow."),
        query("status", one_of(&STATUSES), "Sessions with this status."),
        query("tier", one_of(&TIERS), "Sessions with this confidence tier."),
        query(
            "step",
            one_of(&STEPS),
            "Sessions that reached this step of the push funnel (each within the one before).",
        ),
        query(
            "day",
            formatted(KnownFormat::Date),
            "Sessions started on this account-local day (its part inside the window).",
        ),
    ]
}

const READ_ERRORS: [(u16, &str, Body); 4] = [
    (401, "Not signed in.", Body::Empty),
    (404, "A technician, client or flow that is not the account's.", Body::Empty),
    (422, "A parameter out of its domain; the message names the rule.", Body::Empty),
    (429, "The user's budget for this read is spent (`Retry-After`).", Body::Empty),
];

/// A signed-in admin's `GET`: 200 with `answer` (description, body), or a read error.
fn read(
    spec: &mut Spec,
    path: &'static str,
    (tag, summary): (&'static str, &'static str),
    description: &'static str,
    parameters: Vec<Parameter>,
    answer: (&'static str, Body),
) {
    let mut responses = vec![(200, answer.0, answer.1)];
    responses.extend(READ_ERRORS);
    spec.add(Operation {
        method: Method::GET,
        path,
        tag,
        summary,
        description,
        auth: Auth::Cookie,
        parameters,
        request: None,
        responses,
    });
}

fn analytics(spec: &mut Spec) {
    for source in DataSource::ALL {
        let (schema, about): (Ref, &str) = match source {
            DataSource::Overview => (
                spec.schema::<OverviewResponse>(),
                "KPIs, the daily trend, the top domains and the breakdowns by technician and client.",
            ),
            DataSource::Coverage => (
                spec.schema::<CoverageResponse>(),
                "Each problem domain's sessions, flows and rates; sessions in unmapped domains.",
            ),
            DataSource::FlowQuality => (
                spec.schema::<FlowQualityResponse>(),
                "Each flow's usage, success rate and quality score; top performers and the \
                 flows that need attention.",
            ),
            DataSource::Psa => (
                spec.schema::<EnhancedPsaMetrics>(),
                "Time entries and hours logged, the push funnel and the daily trend.",
            ),
        };
        let mut parameters = view_parameters();
        parameters.push(query(
            "compare",
            one_of(&["previous"]),
            "`previous`: also answer the window of equal length before (`previous`).",
        ));
        let mut csv_parameters = view_parameters();
        if source == DataSource::FlowQuality {
            let sort = query("sort", one_of(&FlowSort::NAMES), "Order, highest first.");
            parameters.push(sort.clone());
            csv_parameters.push(sort);
        }
        read(
            spec,
            source.api_path(),
            (ANALYTICS, source.label()),
            about,
            parameters,
            ("The tab's data for the window.", Body::Json(schema)),
        );
        read(
            spec,
            source.csv_path(),
            (EXPORTS, source.label()),
            "The table of the tab as the page shows it, for a spreadsheet.",
            csv_parameters,
            (
                "The tab's table as CSV (RFC 4180; a cell a spreadsheet would run as a formula \
                 starts with `'`), named after account, data and window.",
                Body::Csv,
            ),
        );
    }
    let choices = spec.schema::<FiltersResponse>();
    read(
        spec,
        routes::API_FILTERS,
        (ANALYTICS, "Filter choices"),
        "The choices of the technician and client filters, with their sessions in the window.",
        view_parameters(),
        ("Technicians and clients, busiest first.", Body::Json(choices)),
    );
}

fn drill_down(spec: &mut Spec) {
    let mut parameters = view_parameters();
    parameters.extend(drill_parameters());
    let mut page = parameters.clone();
    page.extend([
        query("cursor", super::string(), "The page after: a page's `next_cursor`."),
        query("before", super::string(), "The page before: a page's `prev_cursor`."),
        query("limit", integer(1, MAX_LIMIT), "Sessions per page (default 50)."),
    ]);
    let sessions = spec.schema::<SessionsResponse>();
    read(
        spec,
        routes::API_ANALYTICS_SESSIONS,
        (ANALYTICS, "Sessions behind a number"),
        "The sessions a number on a tab counted: the same window and filters, and the drill \
         parameters. Keyset pagination: a later page is as fast as the first.",
        page,
        ("A page of sessions, newest first, and how many there are in all.", Body::Json(sessions)),
    );
    let detail = spec.schema::<SessionDetail>();
    read(
        spec,
        routes::API_ANALYTICS_SESSION,
        (ANALYTICS, "One session"),
        "Everything known about a session of the account, with what was pushed to its ticket \
         and when.",
        vec![path_id("A session of the account.")],
        ("The session and its PSA activity.", Body::Json(detail)),
    );
    read(
        spec,
        routes::API_SESSIONS_CSV,
        (EXPORTS, "Sessions"),
        "The sessions list as CSV.",
        parameters,
        ("Every session of the view, newest first, streamed (no row cap).", Body::Csv),
    );
}

fn sign_in(spec: &mut Spec) {
    let login = spec.schema::<LoginRequest>();
    let signed_in = spec.schema::<SignedIn<'static>>();
    spec.add(Operation {
        method: Method::POST,
        path: routes::API_LOGIN,
        tag: SIGN_IN,
        summary: "Sign in",
        description: "Sets the session cookie. A JSON body gets JSON; an HTML form post is \
                      redirected to `next` (a page of the analytics), or back to the sign-in \
                      page saying why. Failed attempts are throttled per email and per address.",
        auth: Auth::Public,
        parameters: vec![],
        request: Some((login, &["application/json", "application/x-www-form-urlencoded"])),
        responses: vec![
            (200, "Signed in (JSON); the cookie is in `Set-Cookie`.", Body::Json(signed_in)),
            (303, "Signed in or not (form post): where to go next.", Body::Empty),
            (401, "Invalid email or password.", Body::Empty),
            (415, "Neither JSON nor a form.", Body::Empty),
            (429, "Too many failed attempts (`Retry-After`).", Body::Empty),
        ],
    });
    spec.add(Operation {
        method: Method::POST,
        path: routes::API_LOGOUT,
        tag: SIGN_IN,
        summary: "Sign out",
        description: "Ends the session and clears the cookie.",
        auth: Auth::Cookie,
        parameters: vec![],
        request: None,
        responses: vec![
            (204, "Signed out (`Accept: application/json`).", Body::Empty),
            (303, "Signed out: to the sign-in page.", Body::Empty),
        ],
    });
}

const WRITE_ERRORS: [(u16, &str, Body); 5] = [
    (400, "A body that is not the JSON asked for, or a bad `Idempotency-Key`.", Body::Empty),
    (401, "No or an unknown API key.", Body::Empty),
    (404, "A session, flow or user that is not the account's.", Body::Empty),
    (409, "The `Idempotency-Key` was used for a different request.", Body::Empty),
    (422, "A value out of its domain; the message names the rule.", Body::Empty),
];

fn idempotency_key(required: bool) -> Parameter {
    header_param(
        "Idempotency-Key",
        required,
        200,
        "One per change, the same on every retry: a retry answers what the first request \
         answered and changes nothing.",
    )
}

fn ingest(spec: &mut Spec) {
    let session = spec.schema::<SessionOut>();
    let events: [(&'static str, &'static str, &'static str, Ref, u16); 4] = [
        (
            routes::API_SESSIONS,
            "Open a session",
            "A new AI session; a client named here is found by name or created.",
            spec.schema::<OpenSession>(),
            201,
        ),
        (
            routes::API_SESSION_MATCH,
            "Match to a flow",
            "Counts one use of the flow; matching to another flow moves the use.",
            spec.schema::<MatchFlow>(),
            200,
        ),
        (
            routes::API_SESSION_OUTCOME,
            "Record the outcome",
            "Resolved, escalated or abandoned; the flow's success rate follows.",
            spec.schema::<Outcome>(),
            200,
        ),
        (
            routes::API_SESSION_TICKET,
            "Link a PSA ticket",
            "The ticket the session's notes and time entries go to.",
            spec.schema::<Ticket>(),
            200,
        ),
    ];
    for (path, summary, description, body, status) in events {
        let mut parameters = vec![idempotency_key(false)];
        if path != routes::API_SESSIONS {
            parameters.insert(0, path_id("A session of the key's account."));
        }
        let mut responses =
            vec![(status, "The session as it now is.", Body::Json(session.clone()))];
        responses.extend(WRITE_ERRORS);
        spec.add(Operation {
            method: Method::POST,
            path,
            tag: INGEST,
            summary,
            description,
            auth: Auth::Bearer,
            parameters,
            request: Some((body, JSON)),
            responses,
        });
    }
}

fn pushes(spec: &mut Spec) {
    let pushed = spec.schema::<PushOut<'static>>();
    let kinds: [(&'static str, &'static str, Ref); 3] = [
        (routes::API_PSA_NOTES, "Push a note", spec.schema::<NoteBody>()),
        (routes::API_PSA_TIME_ENTRIES, "Push a time entry", spec.schema::<TimeEntryBody>()),
        (routes::API_PSA_STATUS, "Push a ticket status", spec.schema::<StatusBody>()),
    ];
    for (path, summary, body) in kinds {
        let mut responses = vec![(
            201,
            "The PSA has it: the activity it wrote, the same for every retry of the key.",
            Body::Json(pushed.clone()),
        )];
        responses.extend(WRITE_ERRORS);
        responses.push((
            502,
            "`psa_error`: the PSA refused it. `psa_unconfirmed`: the PSA did not confirm it — \
             retry with the same key after `Retry-After`; it is looked up before anything is \
             sent again, so it takes effect once.",
            Body::Empty,
        ));
        spec.add(Operation {
            method: Method::POST,
            path,
            tag: PUSHES,
            summary,
            description: "Writes to the ticket linked to the session in the account's PSA, \
                          exactly once per `Idempotency-Key` whatever fails in between.",
            auth: Auth::Bearer,
            parameters: vec![path_id("A session of the key's account."), idempotency_key(true)],
            request: Some((body, JSON)),
            responses,
        });
    }
}

fn service(spec: &mut Spec) {
    let probes: [(&'static str, &'static str, &'static str, Body); 2] = [
        (routes::HEALTH, "Liveness", "The process answers.", Body::Text),
        (
            routes::READY,
            "Readiness",
            "The database answers and its migrations are current; 503 otherwise.",
            Body::Json(spec.schema::<Readiness>()),
        ),
    ];
    for (path, summary, description, body) in probes {
        spec.add(Operation {
            method: Method::GET,
            path,
            tag: SERVICE,
            summary,
            description,
            auth: Auth::Public,
            parameters: vec![],
            request: None,
            responses: vec![(200, summary, body)],
        });
    }
    spec.add(Operation {
        method: Method::GET,
        path: routes::API_OPENAPI,
        tag: SERVICE,
        summary: "This document",
        description: "The OpenAPI 3.1 document of the REST API.",
        auth: Auth::Public,
        parameters: vec![],
        request: None,
        responses: vec![(200, "The document.", Body::AnyJson)],
    });
    spec.add(Operation {
        method: Method::GET,
        path: routes::API_DOCS,
        tag: SERVICE,
        summary: "API reference",
        description: "This document as a page to read.",
        auth: Auth::Public,
        parameters: vec![],
        request: None,
        responses: vec![(200, "The reference.", Body::Html)],
    });
}
