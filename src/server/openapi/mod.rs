//! The REST API's contract (SPEC §11): an OpenAPI 3.1 document built from the code — every
//! schema derived (`utoipa::ToSchema`) from the very type the handler serialises or reads, every
//! path from the route constants the router mounts — served at `/api/openapi.json`, and a
//! reference page rendered from it at `/api/docs` ([`reference`]).
//!
//! Decisions where SPEC §11 is silent:
//! - "Every REST route" is every route the router mounts under `/api/` and the two probes; the
//!   Leptos server functions (`/api/analytics/…`, `/api/session/…`) are the page's calls to
//!   itself, answer the same shapes as the REST endpoints and are left out, as are the pages.
//!   A test walks the router's inventory by this rule, both ways.
//! - The document and the reference are public: they hold no secret, and the engine team reads
//!   them before it has a key.
//! - Errors: each operation lists the statuses it answers on purpose, and `default` says that any
//!   other error (413, 415, 503 while the database is away, …) has the same body.

mod operations;
mod reference;

use crate::server::errors::ErrorBody;
use axum::{
    http::{header, HeaderValue, Method},
    response::{IntoResponse, Response},
};
use std::sync::LazyLock;
use utoipa::{
    openapi::{
        path::{HttpMethod, OperationBuilder, Parameter, ParameterBuilder, ParameterIn},
        request_body::RequestBodyBuilder,
        schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type},
        security::{
            ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
        },
        ComponentsBuilder, Content, Header, InfoBuilder, OpenApi, OpenApiBuilder, Paths, Ref,
        RefOr, Required, ResponseBuilder,
    },
    ToSchema,
};

pub use reference::page as docs;

/// The security scheme of the analytics endpoints: the session cookie a sign-in sets.
pub const COOKIE_AUTH: &str = "session_cookie";
/// The security scheme of the ingest API: an account's API key as a Bearer token.
pub const BEARER_AUTH: &str = "api_key";

/// The document, built once per process.
pub fn document() -> &'static OpenApi {
    static DOCUMENT: LazyLock<OpenApi> = LazyLock::new(build);
    &DOCUMENT
}

/// `GET /api/openapi.json`.
pub async fn json() -> Response {
    static BODY: LazyLock<String> =
        LazyLock::new(|| document().to_pretty_json().expect("the document serialises"));
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], BODY.as_str())
        .into_response()
}

fn build() -> OpenApi {
    let mut spec = Spec::default();
    operations::describe(&mut spec);
    let cookie = ApiKey::Cookie(ApiKeyValue::with_description(
        crate::server::auth::session::SESSION_COOKIE,
        "Set by `POST /api/v1/auth/login`. Named `__Host-fp_session` when the site is served \
         over https (`FLOWPILOT_SECURE_COOKIES`).",
    ));
    let mut bearer = Http::new(HttpAuthScheme::Bearer);
    bearer.description = Some(
        "An account's ingest API key (`flowpilot-analytics api-key create`): every request acts \
         for that account."
            .into(),
    );
    let components = ComponentsBuilder::new()
        .schemas_from_iter(spec.schemas)
        .security_scheme(COOKIE_AUTH, SecurityScheme::ApiKey(cookie))
        .security_scheme(BEARER_AUTH, SecurityScheme::Http(bearer))
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("FlowPilot Analytics API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "The analytics of an account's AI sessions for its team admins (signed in by \
                     cookie), and the ingest API the FlowPilot engine writes them with (Bearer \
                     API key). Every request is scoped to the caller's account: another \
                     account's id is not found. Errors are JSON with an `error` code.",
                ))
                .build(),
        )
        .paths(spec.paths)
        .components(Some(components))
        .build()
}

/// The document as it is being described: its paths, and every schema an operation named.
#[derive(Default)]
pub(crate) struct Spec {
    paths: Paths,
    schemas: Vec<(String, RefOr<Schema>)>,
}

/// Who may call an operation.
#[derive(Clone, Copy)]
pub(crate) enum Auth {
    Public,
    Cookie,
    Bearer,
}

/// What a response carries.
pub(crate) enum Body {
    /// JSON of the schema (a reference to a component).
    Json(Ref),
    /// Any JSON object (the document itself).
    AnyJson,
    Csv,
    Text,
    Html,
    /// No body (204, a redirect).
    Empty,
}

/// One operation, as [`operations`] describes it.
pub(crate) struct Operation {
    pub method: Method,
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub auth: Auth,
    pub parameters: Vec<Parameter>,
    /// The request body's schema, and the media types it may come as.
    pub request: Option<(Ref, &'static [&'static str])>,
    /// The statuses it answers on purpose: (status, description, body).
    pub responses: Vec<(u16, &'static str, Body)>,
}

impl Spec {
    /// A reference to `T`'s schema, which (and everything it refers to) joins the components.
    pub fn schema<T: ToSchema>(&mut self) -> Ref {
        T::schemas(&mut self.schemas);
        self.schemas.push((T::name().into_owned(), T::schema()));
        Ref::from_schema_name(T::name())
    }

    pub fn add(&mut self, op: Operation) {
        let error = self.schema::<ErrorBody>();
        let mut builder = OperationBuilder::new()
            .tag(op.tag)
            .summary(Some(op.summary))
            .description(Some(op.description))
            .operation_id(Some(operation_id(&op)))
            .parameters(Some(op.parameters));
        builder = match op.auth {
            Auth::Public => builder,
            Auth::Cookie => {
                builder.security(SecurityRequirement::new::<_, _, &str>(COOKIE_AUTH, []))
            }
            Auth::Bearer => {
                builder.security(SecurityRequirement::new::<_, _, &str>(BEARER_AUTH, []))
            }
        };
        if let Some((schema, media_types)) = op.request {
            let mut body = RequestBodyBuilder::new().required(Some(Required::True));
            for media_type in media_types {
                body = body.content(*media_type, Content::new(Some(schema.clone())));
            }
            builder = builder.request_body(Some(body.build()));
        }
        for (status, description, body) in op.responses {
            let mut response = ResponseBuilder::new().description(description);
            response = match body {
                Body::Json(schema) => {
                    response.content("application/json", Content::new(Some(schema)))
                }
                Body::AnyJson => response.content(
                    "application/json",
                    Content::new(Some(ObjectBuilder::new().schema_type(Type::Object).build())),
                ),
                Body::Csv => response.content("text/csv", Content::new(Some(string()))),
                Body::Text => response.content("text/plain", Content::new(Some(string()))),
                Body::Html => response.content("text/html", Content::new(Some(string()))),
                Body::Empty => response,
            };
            if status >= 400 {
                response = response.content("application/json", Content::new(Some(error.clone())));
            }
            if status == 429 || status == 502 {
                response = response.header(
                    "Retry-After",
                    Header::new(
                        ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)).build(),
                    ),
                );
            }
            builder = builder.response(status.to_string(), response.build());
        }
        builder = builder.response(
            "default",
            ResponseBuilder::new()
                .description("Any other error, with the same body.")
                .content("application/json", Content::new(Some(error)))
                .build(),
        );
        self.paths.add_path_operation(op.path, vec![http_method(&op.method)], builder.build());
    }
}

/// `getApiV1AnalyticsFlowpilotSessionsId`-style: unique per (method, path).
fn operation_id(op: &Operation) -> String {
    let method = op.method.as_str().to_lowercase();
    let words = op.path.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
    words.fold(method, |mut id, word| {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            id.extend(first.to_uppercase());
            id.push_str(chars.as_str());
        }
        id
    })
}

fn http_method(method: &Method) -> HttpMethod {
    match *method {
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::PATCH => HttpMethod::Patch,
        Method::DELETE => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

fn string() -> Schema {
    ObjectBuilder::new().schema_type(Type::String).into()
}

/// A string in a known format (`uuid`, `date`).
pub(crate) fn formatted(format: KnownFormat) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(format)))
        .into()
}

/// A string that is one of `values`.
pub(crate) fn one_of(values: &[&str]) -> Schema {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values.iter().copied())).into()
}

pub(crate) fn integer(min: i64, max: i64) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(min as f64))
        .maximum(Some(max as f64))
        .into()
}

/// An optional query parameter.
pub(crate) fn query(name: &str, schema: Schema, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .schema(Some(schema))
        .description(Some(description))
        .build()
}

/// The `{id}` of a path.
pub(crate) fn path_id(description: &str) -> Parameter {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(formatted(KnownFormat::Uuid)))
        .description(Some(description))
        .build()
}

/// A request header of 1 to `max` characters.
pub(crate) fn header_param(name: &str, required: bool, max: usize, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(if required { Required::True } else { Required::False })
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(max)),
        ))
        .description(Some(description))
        .build()
}
