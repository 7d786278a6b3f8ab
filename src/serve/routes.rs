//! The HTTP API: decide one conversation or a batch, describe the ruleset in
//! force, report health and metrics. Every error is JSON,
//! `{"error": {"code", "message"}}`, and nothing a client sends can panic a
//! handler.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::metrics::Metrics;
use crate::diagnostic::render_json;
use crate::reload::Live;
use crate::rules::{clock_now, too_large};
use crate::runtime::time::{format_rfc3339, parse_rfc3339};
use crate::runtime::{InputError, Options};

/// What every handler shares.
#[derive(Clone)]
pub struct App {
    /// The ruleset in force.
    pub live: Arc<Live>,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The largest batch body, in bytes.
    pub max_batch_bytes: usize,
}

/// The routes, with the body limits: one conversation's for `/v1/decide`,
/// the batch limit for `/v1/decide/batch`.
pub fn router(app: App) -> Router {
    let single = app.live.current().rules.limits().max_conversation_bytes;
    Router::new()
        .route(
            "/v1/decide",
            post(decide).layer(DefaultBodyLimit::max(single)),
        )
        .route(
            "/v1/decide/batch",
            post(batch).layer(DefaultBodyLimit::max(app.max_batch_bytes)),
        )
        .route("/v1/ruleset", get(ruleset))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .with_state(app)
}

/// A JSON error answer.
pub fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = json!({ "error": { "code": code, "message": message.into() } });
    (status, axum::Json(body)).into_response()
}

fn input_error(e: &InputError) -> Response {
    let status = if e.code.as_str() == "E0405" {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::BAD_REQUEST
    };
    error(status, e.code.as_str(), e.message.clone())
}

/// `?explain=true&now=2026-11-20T10:05:00Z`; the clock when `now` is absent.
fn options(query: Option<String>) -> Result<Options, String> {
    let mut options = Options {
        now: None,
        explain: false,
    };
    for pair in query
        .iter()
        .flat_map(|q| q.split('&'))
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = value
            .replace("%3A", ":")
            .replace("%3a", ":")
            .replace("%2B", "+")
            .replace("%2b", "+");
        match key {
            "explain" => match value.as_str() {
                "true" | "1" | "" => options.explain = true,
                "false" | "0" => options.explain = false,
                other => {
                    return Err(format!("`explain` is true or false, not `{other}`"));
                }
            },
            "now" => match parse_rfc3339(&value) {
                Some(t) => options.now = Some(t),
                None => {
                    return Err(format!(
                        "`now` must be an RFC 3339 time such as 2026-11-20T10:00:00Z, not `{value}`"
                    ));
                }
            },
            other => {
                return Err(format!(
                    "unknown parameter `{other}`; the parameters are `explain` and `now`"
                ));
            }
        }
    }
    options.now = options.now.or_else(|| Some(clock_now()));
    Ok(options)
}

fn bad_query(message: String) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_request", message)
}

/// A body the extractor refused: too large (413) or unreadable (400).
fn body_error(app: &App, rejection: &BytesRejection, limit: usize) -> Response {
    let too_large = rejection.status() == StatusCode::PAYLOAD_TOO_LARGE;
    app.metrics.failed(
        if too_large { "E0405" } else { "E0401" },
        std::time::Duration::ZERO,
    );
    if too_large {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "E0405",
            format!("the body is larger than the {limit} bytes allowed"),
        );
    }
    error(
        StatusCode::BAD_REQUEST,
        "E0401",
        format!("the body could not be read: {rejection}"),
    )
}

async fn decide(
    State(app): State<App>,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let snapshot = app.live.current();
    let limit = snapshot.rules.limits().max_conversation_bytes;
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return body_error(&app, &rejection, limit),
    };
    let options = match options(query) {
        Ok(options) => options,
        Err(message) => return bad_query(message),
    };
    let started = Instant::now();
    let result = std::str::from_utf8(&body)
        .map_err(|_| InputError {
            code: crate::diagnostic::Code::E0401,
            message: "the body is not UTF-8 text".into(),
        })
        .and_then(|text| snapshot.rules.decide_str(text, &options));
    match result {
        Ok(decision) => {
            app.metrics.decided(&decision, started.elapsed());
            // Written as `baton decide` writes it, into room made once.
            match decision.to_json() {
                Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
                Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
            }
        }
        Err(e) => {
            app.metrics.failed(e.code.as_str(), started.elapsed());
            input_error(&e)
        }
    }
}

async fn batch(
    State(app): State<App>,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return body_error(&app, &rejection, app.max_batch_bytes),
    };
    let options = match options(query) {
        Ok(options) => options,
        Err(message) => return bad_query(message),
    };
    let conversations: Vec<Value> = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "E0402",
                "a batch is a JSON array of conversations",
            );
        }
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "E0401",
                format!("the body is not valid JSON: {e}"),
            );
        }
    };
    // One ruleset decides the whole batch; deciding runs off the request threads.
    let snapshot = app.live.current();
    let metrics = app.metrics.clone();
    let decided = tokio::task::spawn_blocking(move || {
        let limits = snapshot.rules.limits();
        conversations
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let started = Instant::now();
                let size = serde_json::to_string(c).map_or(0, |t| t.len());
                let result =
                    too_large(size, limits).and_then(|()| snapshot.rules.decide(c, &options));
                match result {
                    Ok(decision) => {
                        metrics.decided(&decision, started.elapsed());
                        serde_json::to_value(decision).unwrap_or(Value::Null)
                    }
                    Err(e) => {
                        metrics.failed(e.code.as_str(), started.elapsed());
                        json!({ "index": i, "error": e })
                    }
                }
            })
            .collect::<Vec<Value>>()
    })
    .await;
    match decided {
        Ok(answers) => axum::Json(answers).into_response(),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("the batch could not be decided: {e}"),
        ),
    }
}

async fn ruleset(State(app): State<App>) -> Response {
    let current = app.live.current();
    let last = app.live.last();
    let graph = current.rules.graph();
    let body = json!({
        "ruleset": current.rules.hash(),
        "loaded_at": format_rfc3339(current.loaded_at),
        "files": current.files,
        "rules": graph.rules.len(),
        "queues": graph.ruleset.queues.len(),
        "last_reload": {
            "at": format_rfc3339(last.at),
            "trigger": last.trigger,
            "outcome": if last.ok { "ok" } else { "failed" },
            "error": last.error,
            "diagnostics": render_json(&last.diagnostics),
        },
    });
    axum::Json(body).into_response()
}

async fn healthz(State(app): State<App>) -> Response {
    let state = if app.live.last().ok { "ok" } else { "degraded" };
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{state}\n"),
    )
        .into_response()
}

async fn metrics(State(app): State<App>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        app.metrics.render(&app.live),
    )
        .into_response()
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see POST /v1/decide, POST /v1/decide/batch, GET /v1/ruleset, /healthz, /metrics",
    )
}
