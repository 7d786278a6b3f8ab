//! The HTTP face: `baton serve` answers decisions over HTTP/1.1 with the
//! ruleset in force, reloaded as the rule files change. Connections that
//! send their headers too slowly, and requests that take too long, are cut
//! off; a panic in a handler is answered 500, never a crash; on shutdown
//! the listener closes and requests in flight are finished.

mod metrics;
mod routes;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use crate::reload::Live;
pub use metrics::Metrics;

/// How the service behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// The largest batch body, in bytes.
    pub max_batch_bytes: usize,
    /// How long a client may take to send its headers, and a request to be
    /// answered.
    pub timeout: Duration,
    /// How long shutdown waits for requests in flight.
    pub grace: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_batch_bytes: 16 * 1024 * 1024,
            timeout: Duration::from_secs(10),
            grace: Duration::from_secs(10),
        }
    }
}

/// Serves on `listener` until `shutdown` completes, then finishes the
/// requests in flight (waiting at most `config.grace`).
pub async fn run(
    live: Arc<Live>,
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) {
    let app = routes::App {
        live,
        metrics: Arc::new(Metrics::default()),
        max_batch_bytes: config.max_batch_bytes,
    };
    let router = routes::router(app)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.timeout,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            routes::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the request could not be answered",
            )
        }));
    let service = TowerToHyperService::new(router);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        tracing::warn!(error = %e, "accepting a connection");
                        continue;
                    }
                };
                let mut http = hyper::server::conn::http1::Builder::new();
                http.timer(TokioTimer::new()).header_read_timeout(config.timeout);
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service.clone()));
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::debug!(%peer, error = %e, "connection ended");
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: finishing requests in flight");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all requests finished"),
        () = tokio::time::sleep(config.grace) => tracing::warn!("stopped waiting for requests in flight"),
    }
}
