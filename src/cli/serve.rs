//! `baton serve [--rules PATH] [--listen 127.0.0.1:8080]`: the decision
//! service, reloading its rules as their files change.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use super::output;
use crate::reload::{Live, watch};
use crate::serve::{self, Config};

/// Arguments of `baton serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files or folders, watched for changes.
    #[arg(long = "rules", default_value = "rules/")]
    rules: Vec<PathBuf>,
    /// The address to listen on. Loopback unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The largest batch accepted (answered 413 beyond); each of its
    /// conversations is held to --max-conversation-size.
    #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = crate::limits::parse_size)]
    max_batch_body: usize,
    /// Seconds a client may take to send a request, and a request to be answered.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// How to write logs to standard error.
    #[arg(long, value_enum, default_value_t = super::logs::LogFormat::Text)]
    log_format: super::logs::LogFormat,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Serves until SIGINT or SIGTERM. Exit status: 0 after a clean shutdown, 1
/// when the rules have errors at start, 2 when they cannot be read or the
/// address cannot be bound.
pub fn run(args: &Args) -> ExitCode {
    super::logs::init(args.log_format);
    let limits = args.limits.limits();
    let live = match Live::start(args.rules.clone(), limits) {
        Ok(live) => Arc::new(live),
        Err(failure) => return output::load_failure(failure, "not serving", 1),
    };
    let _watching = match watch(live.clone()) {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::warn!(error = %e, "cannot watch the rule files; reload with SIGHUP");
            None
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            output::fail(&format!("cannot start: {e}"));
            return ExitCode::from(2);
        }
    };
    let config = Config {
        max_batch_bytes: args.max_batch_body,
        timeout: Duration::from_secs(args.timeout),
        ..Config::default()
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(listener) => listener,
            Err(e) => {
                output::fail(&format!("cannot listen on {}: {e}", args.listen));
                return ExitCode::from(2);
            }
        };
        let address = listener
            .local_addr()
            .map_or_else(|_| args.listen.to_string(), |a| a.to_string());
        tracing::info!(%address, ruleset = %live.current().rules.hash(), "listening");
        tokio::spawn(reload_on_hangup(live.clone()));
        serve::run(live, config, listener, shutdown_signal()).await;
        ExitCode::SUCCESS
    })
}

/// Reloads the rules each time the process receives SIGHUP.
async fn reload_on_hangup(live: Arc<Live>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            return;
        };
        while hangups.recv().await.is_some() {
            let live = live.clone();
            let _ = tokio::task::spawn_blocking(move || live.reload("SIGHUP")).await;
        }
    }
    #[cfg(not(unix))]
    let _ = live;
}

/// Completes at SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("interrupted"),
        () = terminate => tracing::info!("terminated"),
    }
}
