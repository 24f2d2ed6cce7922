//! `/api/docs`: the OpenAPI document as a page to read — every operation with its parameters,
//! request body and responses, every schema with its properties, each reference a link. Rendered
//! on the server from the document itself (so it cannot list a route the document lacks), with
//! our own stylesheet and no script at all: nothing comes from a CDN, and its policy forbids
//! scripts outright.

use super::document;
use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use leptos::{prelude::*, tachys::view::RenderHtml};
use serde_json::Value;
use std::sync::LazyLock;

/// The page's policy: our stylesheet, no script, no frame, no form.
const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
                      frame-ancestors 'none'; form-action 'none'";

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// `GET /api/docs`.
pub async fn page() -> Response {
    static HTML: LazyLock<String> = LazyLock::new(render);
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY)),
        ],
        HTML.as_str(),
    )
        .into_response()
}

fn render() -> String {
    let doc = serde_json::to_value(document()).unwrap_or_default();
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
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
    format!(
        "<!DOCTYPE html><html lang=\"en\" class=\"dark\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} — reference</title>\
         <link rel=\"stylesheet\" href=\"/pkg/flowpilot-analytics.css\"></head>\
         <body class=\"min-h-screen bg-background text-foreground antialiased\">{}</body></html>",
        text(&info["title"]),
        body.to_html()
    )
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
                            Some("http") => format!("HTTP {}", scheme["scheme"].as_str().unwrap_or_default()),
                            _ => format!(
                                "{} in a {}",
                                scheme["name"].as_str().unwrap_or_default(),
                                scheme["in"].as_str().unwrap_or_default()
                            ),
                        };
                        view! {
                            <dt class="font-medium"><code>{name}</code> " — " {how}</dt>
                            <dd class="text-muted-foreground">{scheme["description"].as_str().unwrap_or_default().to_owned()}</dd>
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
                        let id = op["operationId"].as_str().unwrap_or_default().to_owned();
                        view! {
                            <li>
                                <a class="hover:underline" href=format!("#{id}")>
                                    <span class="inline-block w-16 font-mono uppercase">{method}</span>
                                    <code>{path}</code>
                                </a>
                                " — "
                                {op["summary"].as_str().unwrap_or_default().to_owned()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

fn operation(path: &str, method: &str, op: &Value) -> impl IntoView {
    let id = op["operationId"].as_str().unwrap_or_default().to_owned();
    let auth: Vec<String> = op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|requirement| requirement.as_object()?.keys().next().cloned())
        .collect();
    let parameters = op["parameters"].as_array().cloned().unwrap_or_default();
    let body = op["requestBody"]["content"].as_object().cloned();
    let responses = op["responses"].as_object().cloned().unwrap_or_default();
    view! {
        <article id=id.clone() class="glass-card-static space-y-3 p-4" data-operation=id>
            <h3 class="font-mono text-lg">
                <span class="uppercase">{method.to_owned()}</span> " " {path.to_owned()}
            </h3>
            <p class="font-medium">{op["summary"].as_str().unwrap_or_default().to_owned()}</p>
            <p class="text-sm text-muted-foreground">{op["description"].as_str().unwrap_or_default().to_owned()}</p>
            <p class="text-sm">
                "Authentication: "
                {if auth.is_empty() { "none".to_owned() } else { auth.join(", ") }}
            </p>
            {(!parameters.is_empty()).then(|| view! {
                <table class="w-full text-left text-sm" aria-label=format!("Parameters of {method} {path}")>
                    <thead class="text-xs text-muted-foreground">
                        <tr>
                            <th scope="col">"Parameter"</th>
                            <th scope="col">"In"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Required"</th>
                            <th scope="col">"Description"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {parameters.into_iter().map(|p| view! {
                            <tr class="border-t border-border align-top">
                                <th scope="row" class="font-mono font-normal">{p["name"].as_str().unwrap_or_default().to_owned()}</th>
                                <td>{p["in"].as_str().unwrap_or_default().to_owned()}</td>
                                <td>{type_view(&p["schema"])}</td>
                                <td>{if p["required"].as_bool() == Some(true) { "yes" } else { "no" }}</td>
                                <td>{p["description"].as_str().unwrap_or_default().to_owned()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {body.map(|content| view! {
                <p class="text-sm">
                    "Request body: "
                    {content.iter().map(|(media, c)| view! {
                        <span class="mr-3"><code>{media.clone()}</code> " " {type_view(&c["schema"])}</span>
                    }).collect_view()}
                </p>
            })}
            <table class="w-full text-left text-sm" aria-label=format!("Responses of {method} {path}")>
                <thead class="text-xs text-muted-foreground">
                    <tr>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col">"Body"</th>
                    </tr>
                </thead>
                <tbody>
                    {responses.into_iter().map(|(status, r)| view! {
                        <tr class="border-t border-border align-top">
                            <th scope="row" class="font-mono font-normal">{status}</th>
                            <td>{r["description"].as_str().unwrap_or_default().to_owned()}</td>
                            <td>
                                {r["content"].as_object().cloned().unwrap_or_default().into_iter().map(|(media, c)| view! {
                                    <span class="mr-3"><code>{media}</code> " " {type_view(&c["schema"])}</span>
                                }).collect_view()}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </article>
    }
}

fn schemas(doc: &Value) -> impl IntoView {
    let schemas = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
    view! {
        <section aria-labelledby="schemas" class="space-y-6">
            <h2 id="schemas" class="text-xl font-semibold">"Schemas"</h2>
            {schemas.into_iter().map(|(name, schema)| {
                let required: Vec<String> = schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect();
                let properties = schema["properties"].as_object().cloned();
                view! {
                    <article id=format!("schema-{name}") class="glass-card-static space-y-2 p-4">
                        <h3 class="font-mono text-lg">{name.clone()}</h3>
                        <p class="text-sm text-muted-foreground">{schema["description"].as_str().unwrap_or_default().to_owned()}</p>
                        {match properties {
                            Some(properties) => view! {
                                <table class="w-full text-left text-sm" aria-label=format!("Properties of {name}")>
                                    <thead class="text-xs text-muted-foreground">
                                        <tr>
                                            <th scope="col">"Property"</th>
                                            <th scope="col">"Type"</th>
                                            <th scope="col">"Required"</th>
                                            <th scope="col">"Description"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {properties.into_iter().map(|(property, p)| view! {
                                            <tr class="border-t border-border align-top">
                                                <th scope="row" class="font-mono font-normal">{property.clone()}</th>
                                                <td>{type_view(&p)}</td>
                                                <td>{if required.contains(&property) { "yes" } else { "no" }}</td>
                                                <td>{p["description"].as_str().unwrap_or_default().to_owned()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            None => view! { <p class="text-sm">{type_view(&schema)}</p> }.into_any(),
                        }}
                    </article>
                }
            }).collect_view()}
        </section>
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
