//! `/api/docs`: the OpenAPI document as a page to read — every operation with its parameters,
//! request body and responses, every schema with its properties, each reference a link. Rendered
//! on the server from the document itself (so it cannot list a route the document lacks), with
//! our own stylesheet and no script at all: nothing comes from a CDN, and its policy forbids
//! scripts outright.

use super::document;
use crate::server::state::AppState;
use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use leptos::{prelude::*, tachys::view::RenderHtml};
use leptos_meta::HashedStylesheet;
use serde_json::Value;
use std::sync::LazyLock;

/// The page's policy: our stylesheet, no script, no frame, no form.
const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
                      frame-ancestors 'none'; form-action 'none'";

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// `GET /api/docs`.
pub async fn page(State(state): State<AppState>) -> Response {
    static BODY: LazyLock<(String, String)> = LazyLock::new(render);
    let (title, body) = &*BODY;
    // The stylesheet by the build's hashed name, as the pages link it.
    let stylesheet =
        view! { <HashedStylesheet options=state.leptos_options.clone() id="leptos" /> };
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\" class=\"dark\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — reference</title>{}</head>\
         <body class=\"min-h-screen bg-background text-foreground antialiased\">{body}</body></html>",
        stylesheet.to_html()
    );
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY)),
        ],
        html,
    )
        .into_response()
}

/// The page's title and body, rendered once from the document.
fn render() -> (String, String) {
    let doc = serde_json::to_value(document()).unwrap_or_default();
    let info = &doc["info"];
    let body = view! {
        <main class="mx-auto max-w-5xl space-y-8 p-6">
            <header class="space-y-2">
                <h1 class="text-2xl font-semibold">{text(&info["title"])}</h1>
                <p class="text-muted-foreground">{text(&info["description"])}</p>
                <p class="text-sm">
                    "OpenAPI " {text(&doc["openapi"])} " · version " {text(&info["version"])}
                    " · the document: " <a class="underline" href=crate::routes::API_OPENAPI>
                        {crate::routes::API_OPENAPI}
                    </a>
                </p>
            </header>
            {security(&doc)}
            {contents(&doc)}
            <section aria-labelledby="operations" class="space-y-6">
                <h2 id="operations" class="text-xl font-semibold">"Operations"</h2>
                {operations(&doc).into_iter().map(|(path, method, op)| operation(&path, &method, &op)).collect_view()}
            </section>
            {schemas(&doc)}
        </main>
    };
    (text(&info["title"]), body.to_html())
}

/// Every operation as (path, method, operation), in the document's order of paths.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                all.push((path.clone(), method.to_owned(), op.clone()));
            }
        }
    }
    all
}

fn security(doc: &Value) -> impl IntoView {
    let schemes = doc["components"]["securitySchemes"].as_object().cloned().unwrap_or_default();
    view! {
        <section aria-labelledby="auth" class="space-y-2">
            <h2 id="auth" class="text-xl font-semibold">"Authentication"</h2>
            <dl class="space-y-2 text-sm">
                {schemes
                    .into_iter()
                    .map(|(name, scheme)| {
                        let how = match scheme["type"].as_str() {
                            Some("http") => format!("HTTP {}", text(&scheme["scheme"])),
                            _ => format!(
                                "{} in a {}",
                                    text(&scheme["name"]),
                                text(&scheme["in"])
                            ),
                        };
                        view! {
                            <dt class="font-medium"><code>{name}</code> " — " {how}</dt>
                            <dd class="text-muted-foreground">{text(&scheme["description"])}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}

fn contents(doc: &Value) -> impl IntoView {
    view! {
        <nav aria-label="Contents" class="text-sm">
            <ul class="space-y-1">
                {operations(doc)
                    .into_iter()
                    .map(|(path, method, op)| {
                        let id = text(&op["operationId"]);
                        view! {
                            <li>
                                <a class="hover:underline" href=format!("#{id}")>
                                    <span class="inline-block w-16 font-mono uppercase">{method}</span>
                                    <code>{path}</code>
                                </a>
                                " — "
                                {text(&op["summary"])}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

fn operation(path: &str, method: &str, op: &Value) -> impl IntoView {
    let id = text(&op["operationId"]);
    let auth: Vec<String> = op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|requirement| requirement.as_object()?.keys().next().cloned())
        .collect();
    let parameters = op["parameters"].as_array().cloned().unwrap_or_default();
    let parameter_rows: Vec<Vec<AnyView>> = parameters
        .iter()
        .map(|p| {
            vec![
                text(&p["name"]).into_any(),
                text(&p["in"]).into_any(),
                type_view(&p["schema"]).into_any(),
                yes_no(p["required"].as_bool() == Some(true)).into_any(),
                text(&p["description"]).into_any(),
            ]
        })
        .collect();
    let responses = op["responses"].as_object().cloned().unwrap_or_default();
    let response_rows: Vec<Vec<AnyView>> = responses
        .iter()
        .map(|(status, r)| {
            vec![
                status.clone().into_any(),
                text(&r["description"]).into_any(),
                media(&r["content"]).into_any(),
            ]
        })
        .collect();
    let body = op["requestBody"]["content"].is_object().then(|| {
        view! { <p class="text-sm">"Request body: " {media(&op["requestBody"]["content"])}</p> }
    });
    view! {
        <article id=id.clone() class="glass-card-static space-y-3 p-4" data-operation=id>
            <h3 class="font-mono text-lg">
                <span class="uppercase">{method.to_owned()}</span> " " {path.to_owned()}
            </h3>
            <p class="font-medium">{text(&op["summary"])}</p>
            <p class="text-sm text-muted-foreground">{text(&op["description"])}</p>
            <p class="text-sm">
                "Authentication: "
                {if auth.is_empty() { "none".to_owned() } else { auth.join(", ") }}
            </p>
            {(!parameter_rows.is_empty()).then(|| table(
                format!("Parameters of {method} {path}"),
                &["Parameter", "In", "Type", "Required", "Description"],
                parameter_rows,
            ))}
            {body}
            {table(format!("Responses of {method} {path}"), &["Status", "Description", "Body"], response_rows)}
        </article>
    }
}

fn schemas(doc: &Value) -> impl IntoView {
    let schemas = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
    view! {
        <section aria-labelledby="schemas" class="space-y-6">
            <h2 id="schemas" class="text-xl font-semibold">"Schemas"</h2>
            {schemas.into_iter().map(|(name, schema)| {
                let required: Vec<&str> =
                    schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                let shape = match schema["properties"].as_object() {
                    Some(properties) => {
                        let rows = properties
                            .iter()
                            .map(|(property, p)| {
                                vec![
                                    property.clone().into_any(),
                                    type_view(p).into_any(),
                                    yes_no(required.contains(&property.as_str())).into_any(),
                                    text(&p["description"]).into_any(),
                                ]
                            })
                            .collect();
                        table(format!("Properties of {name}"), &["Property", "Type", "Required", "Description"], rows)
                            .into_any()
                    }
                    None => view! { <p class="text-sm">{type_view(&schema)}</p> }.into_any(),
                };
                view! {
                    <article id=format!("schema-{name}") class="glass-card-static space-y-2 p-4">
                        <h3 class="font-mono text-lg">{name.clone()}</h3>
                        <p class="text-sm text-muted-foreground">{text(&schema["description"])}</p>
                        {shape}
                    </article>
                }
            }).collect_view()}
        </section>
    }
}

/// A table named `label`: a header row of `headings`, then `rows`, each headed by its first cell.
fn table(label: String, headings: &[&'static str], rows: Vec<Vec<AnyView>>) -> impl IntoView {
    view! {
        <table class="w-full text-left text-sm" aria-label=label>
            <thead class="text-xs text-muted-foreground">
                <tr>{headings.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|cells| {
                    let mut cells = cells.into_iter();
                    let head = cells.next();
                    view! {
                        <tr class="border-t border-border align-top">
                            <th scope="row" class="font-mono font-normal">{head}</th>
                            {cells.map(|cell| view! { <td>{cell}</td> }).collect_view()}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A body's media types, each with its schema.
fn media(content: &Value) -> impl IntoView {
    let content = content.as_object().cloned().unwrap_or_default();
    content
        .into_iter()
        .map(|(media, c)| view! { <span class="mr-3"><code>{media}</code> " " {type_view(&c["schema"])}</span> })
        .collect_view()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn yes_no(yes: bool) -> &'static str {
    if yes {
        "yes"
    } else {
        "no"
    }
}

/// A schema's type in a few words, each referenced schema a link to it.
fn type_view(schema: &Value) -> impl IntoView {
    type_parts(schema)
        .into_iter()
        .map(|part| match part {
            Part::Text(text) => view! { <span>{text}</span> }.into_any(),
            Part::Ref(name) => {
                let href = format!("#schema-{name}");
                view! { <a class="underline" href=href>{name}</a> }.into_any()
            }
        })
        .collect_view()
}

enum Part {
    Text(String),
    Ref(String),
}

fn type_parts(schema: &Value) -> Vec<Part> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return vec![Part::Ref(name.to_owned())];
    }
    for (key, joiner) in [("oneOf", " or "), ("anyOf", " or "), ("allOf", " and ")] {
        if let Some(choices) = schema[key].as_array() {
            let mut parts = Vec::new();
            for (i, choice) in choices.iter().enumerate() {
                if i > 0 {
                    parts.push(Part::Text(joiner.to_owned()));
                }
                parts.extend(type_parts(choice));
            }
            return parts;
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if types.is_empty() {
        return vec![Part::Text("any".into())];
    }
    let mut parts = Vec::new();
    for (i, kind) in types.iter().enumerate() {
        if i > 0 {
            parts.push(Part::Text(" or ".into()));
        }
        if *kind == "array" {
            parts.push(Part::Text("array of ".into()));
            parts.extend(type_parts(&schema["items"]));
        } else {
            parts.push(Part::Text((*kind).to_owned()));
        }
    }
    if let Some(format) = schema["format"].as_str() {
        parts.push(Part::Text(format!(" ({format})")));
    }
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        parts.push(Part::Text(format!(": {}", values.join(", "))));
    }
    parts
}
