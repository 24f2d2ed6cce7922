//! The OpenAPI document as a check on real responses: every response the integration tests
//! receive through [`crate::common::send`] from a documented operation must have a documented
//! status and media type, and its JSON must validate against the documented schema (JSON Schema
//! 2020-12, formats checked, and no property the schema does not name).

use axum::http::Method;
use flowpilot_analytics::server::openapi;
use serde_json::{json, Value};
use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
};

/// The document as JSON, with every object schema closed: a property a response carries that
/// the schema does not name fails validation, so the document cannot fall behind the types.
pub static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    let mut doc = serde_json::to_value(openapi::document()).unwrap();
    let originals = doc["components"]["schemas"].clone();
    for schema in doc["components"]["schemas"].as_object_mut().unwrap().values_mut() {
        inline_all_of(schema, &originals);
        close(schema);
    }
    doc
});

/// A flattened struct is `allOf` its parts; the parts it refers to are copied in open, so the
/// closed whole sees their properties as its own (a part closed by itself would refuse the
/// rest).
fn inline_all_of(schema: &mut Value, originals: &Value) {
    for part in schema.get_mut("allOf").and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(name) = part["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
            *part = originals[name].clone();
        }
    }
}

/// `unevaluatedProperties: false` on the schema's own object level (seeing through `allOf`,
/// which a flattened struct becomes), recursing into property schemas written inline.
fn close(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else { return };
    if object.contains_key("properties") || object.contains_key("allOf") {
        object.insert("unevaluatedProperties".into(), Value::Bool(false));
    }
    if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
        properties.values_mut().for_each(close);
    }
}

/// The documented operation a request reached: its path template and the operation.
fn operation(method: &Method, path: &str) -> Option<(String, &'static Value)> {
    let segments: Vec<&str> = path.split('/').collect();
    let method = method.as_str().to_lowercase();
    let mut best: Option<(usize, String, &Value)> = None;
    for (template, item) in DOCUMENT["paths"].as_object()? {
        let parts: Vec<&str> = template.split('/').collect();
        if parts.len() != segments.len() {
            continue;
        }
        let matches = parts.iter().zip(&segments).all(|(t, s)| t.starts_with('{') || t == s);
        let literal = parts.iter().filter(|t| !t.starts_with('{')).count();
        if matches && best.as_ref().is_none_or(|(l, ..)| literal > *l) {
            if let Some(op) = item.get(&method) {
                best = Some((literal, template.clone(), op));
            }
        }
    }
    best.map(|(_, template, op)| (template, op))
}

/// Panics when a response breaks the document.
pub fn check(method: &Method, uri: &str, status: u16, content_type: Option<&str>, body: &str) {
    let path = uri.split('?').next().unwrap_or(uri);
    let Some((template, op)) = operation(method, path) else { return };
    let at = format!("{method} {template} ({uri}) answered {status}");
    let responses = &op["responses"];
    let response = match responses.get(status.to_string()) {
        Some(response) => response,
        None if status >= 400 => &responses["default"],
        None => panic!("{at}, a status the document does not list: {body}"),
    };
    let Some(content) = response["content"].as_object().filter(|c| !c.is_empty()) else {
        return;
    };
    let media = content_type.unwrap_or_default().split(';').next().unwrap_or_default().trim();
    let Some(documented) = content.get(media) else {
        panic!("{at} as {media:?}; the document lists {:?}", content.keys().collect::<Vec<_>>())
    };
    if media != "application/json" {
        return;
    }
    let instance: Value = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("{at}: not the JSON the document promises ({e}): {body}"));
    let errors = validate(&documented["schema"], &instance);
    assert!(errors.is_empty(), "{at}: the body breaks its schema:\n{}\n{body}", errors.join("\n"));
}

/// Validation errors of `instance` against `schema` (which may refer to the components).
pub fn validate(schema: &Value, instance: &Value) -> Vec<String> {
    static VALIDATORS: LazyLock<Mutex<HashMap<String, jsonschema::Validator>>> =
        LazyLock::new(Default::default);
    let key = schema.to_string();
    let mut validators = VALIDATORS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let validator = validators.entry(key).or_insert_with(|| {
        let mut root = json!({ "components": DOCUMENT["components"] });
        if let (Some(root), Some(schema)) = (root.as_object_mut(), schema.as_object()) {
            root.extend(schema.clone());
        }
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("the document's schema {schema} does not compile: {e}"))
    });
    validator.iter_errors(instance).map(|e| format!("  {}: {e}", e.instance_path)).collect()
}
