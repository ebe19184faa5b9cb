//! Building and running the HTTP application: open the store, load the instrument, bind the
//! listener (port 0 in tests), wire middleware and routes.

use std::net::TcpListener;
use std::sync::Mutex;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use rand::RngCore;

use crate::configuration::Settings;
use crate::instrument::{InstrumentError, Instruments};
use crate::state::{AnonymousKey, AppState, IpThrottle};
use crate::store::{Store, StoreError};
use crate::{routes, web as site};

/// How long stopping may wait for requests in flight, and then for the store's last writes.
const SHUTDOWN_WAIT: std::time::Duration = std::time::Duration::from_secs(4);

/// The first scheduled backup is made this long after start at the earliest.
const BACKUP_NOT_BEFORE: std::time::Duration = std::time::Duration::from_secs(60);

/// When the first retention run is made after a start, and how often after that.
const RETENTION_FIRST: std::time::Duration = std::time::Duration::from_secs(600);
const RETENTION_EVERY: std::time::Duration = std::time::Duration::from_secs(86_400);

/// How often refused anonymous requests are summarised into the audit log.
const REFUSAL_SUMMARY_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Instrument(#[from] InstrumentError),
    #[error("{0}")]
    Pii(#[from] crate::domain::pii::PatternError),
    #[error("the translations are incomplete: {0}")]
    Translations(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// A built application, bound and ready to run.
pub struct Application {
    port: u16,
    host: String,
    server: Server,
    state: web::Data<AppState>,
    created_key: Option<std::path::PathBuf>,
}

impl Application {
    /// Opens the store, validates the instrument, and binds `settings.addr`.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let instruments = Instruments::bundled()?;
        let instrument = instruments.active().clone();
        // The identifying-details guard compiles its patterns now: a broken one stops the start.
        crate::domain::pii::ready()?;
        // So do the translations: every message in every language of its area.
        crate::i18n::ready().map_err(StartupError::Translations)?;
        crate::i18n::check_ids(crate::domain::case::form_choice_ids())
            .map_err(StartupError::Translations)?;
        let (store, created_key) = Store::open_with_key_file(
            &settings.data_dir,
            settings.key_file.as_deref(),
            true,
            settings.cache,
        )?;
        // Every write keeps its case's aggregate row on disk from now on.
        store.keep_aggregate_rows_for(&instrument);
        let demo = store.is_demo()?;
        let setup_token = if store.has_admin()? {
            None
        } else {
            let mut bytes = [0u8; 20];
            rand::rng().fill_bytes(&mut bytes);
            Some(hex::encode(bytes))
        };
        let state = web::Data::new(AppState {
            store,
            clock: settings.clock.clone(),
            policy: settings.policy.clone(),
            instrument,
            instruments,
            secure_cookies: settings.secure_cookies,
            trusted_proxies: settings.trusted_proxies.clone(),
            pseudo_locale: settings.pseudo_locale,
            anonymous_key: AnonymousKey::generate(),
            setup_token: Mutex::new(setup_token),
            throttle: IpThrottle::default(),
            refusals: Default::default(),
            backups: crate::backup::service::Backups::new(settings.backup.clone()),
            rendered: Default::default(),
            demo,
        });
        let listener = TcpListener::bind(&settings.addr).map_err(|source| StartupError::Bind {
            addr: settings.addr.clone(),
            source,
        })?;
        let local = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.addr.clone(),
            source,
        })?;
        let server = run(listener, state.clone()).map_err(|source| StartupError::Bind {
            addr: settings.addr.clone(),
            source,
        })?;
        Ok(Self {
            port: local.port(),
            host: local.ip().to_string(),
            server,
            state,
            created_key,
        })
    }

    /// The master key file, if this start created it.
    pub fn created_key(&self) -> Option<&std::path::Path> {
        self.created_key.as_deref()
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state (tests reach the in-memory counters through it).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// The store the application uses (tests build their fixtures through it).
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// The address to open in a browser.
    pub fn url(&self) -> String {
        format!("http://{}:{}/", self.host, self.port)
    }

    /// The one-time first-run setup link, when the store has no administrator yet.
    pub fn setup_url(&self) -> Option<String> {
        let token = self.state.setup_token.lock().ok()?.clone()?;
        Some(format!("{}setup/{token}", self.url()))
    }

    /// Serves until the process is stopped, sweeping expired sessions in the background.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Read the aggregate rows now rather than on the first dashboard view: from their own
        // tree, rebuilt first (in small steps between other writes) if it is not complete.
        let warm = self.state.clone();
        actix_web::rt::spawn(async move {
            let started = std::time::Instant::now();
            if let Err(e) = warm.store.prepare_aggregate_rows().await {
                tracing::warn!(error = %e, "rebuilding the stored aggregate rows failed");
            }
            let read = actix_web::rt::task::spawn_blocking(move || {
                warm.store
                    .with_aggregate_rows(&warm.instrument, |rows| rows.assessment_count())
            })
            .await;
            crate::memory::release_free_memory();
            match read {
                Ok(Ok(assessments)) => tracing::info!(
                    assessments,
                    elapsed_ms = started.elapsed().as_millis(),
                    "aggregate rows ready"
                ),
                Ok(Err(e)) => tracing::warn!(error = %e, "reading the store for aggregates failed"),
                Err(_) => tracing::warn!("reading the store for aggregates stopped"),
            }
        });
        let state = self.state.clone();
        actix_web::rt::spawn(async move {
            let mut tick = actix_web::rt::time::interval(std::time::Duration::from_secs(300));
            loop {
                tick.tick().await;
                let now = state.clock.now();
                let policy = state.policy.clone();
                let swept = state
                    .store
                    .sweep_sessions(move |s| crate::auth::session::is_expired(s, now, &policy))
                    .await;
                if let Err(e) = swept {
                    tracing::warn!(error = %e, "sweeping expired sessions failed");
                }
            }
        });
        let state = self.state.clone();
        actix_web::rt::spawn(async move {
            // The daily retention run, first ten minutes after the start.
            actix_web::rt::time::sleep(RETENTION_FIRST).await;
            let mut tick = actix_web::rt::time::interval(RETENTION_EVERY);
            loop {
                tick.tick().await;
                let now = state.clock.now();
                let policy = state.policy.clone();
                let expired = move |s: &crate::store::Session| {
                    crate::auth::session::is_expired(s, now, &policy)
                };
                match crate::retention::run(&state.store, now, expired, None).await {
                    Ok(report) if report.cases_erased > 0 => {
                        state.backups.register_changed(&state.store);
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "the retention run failed"),
                }
            }
        });
        if let Some(every) = self.state.backups.config().map(|c| c.every) {
            // Scheduled backups: `every` after the newest kept one, and not in the first minute
            // (the server has just started; a restart loop must not back up in a loop).
            let state = self.state.clone();
            actix_web::rt::spawn(async move {
                let first = state.backups.due_in().max(BACKUP_NOT_BEFORE);
                actix_web::rt::time::sleep(first).await;
                loop {
                    // The outcome is logged and shown on the Backups page.
                    let _ = state.backups.make_audited(&state.store, None).await;
                    actix_web::rt::time::sleep(every).await;
                }
            });
        }
        let state = self.state.clone();
        actix_web::rt::spawn(async move {
            let mut tick = actix_web::rt::time::interval(REFUSAL_SUMMARY_EVERY);
            tick.tick().await;
            loop {
                tick.tick().await;
                for event in state.refusal_summaries() {
                    state.store.audit_later(event);
                }
            }
        });
        let served = self.server.await;
        for event in self.state.refusal_summaries() {
            self.state.store.audit_later(event);
        }
        // Every request has been answered or dropped: write what is queued and stop the writer.
        // A store stuck in a write cannot be waited for; the process exits anyway.
        if !self.state.store.close(SHUTDOWN_WAIT) {
            tracing::error!("stopping without the store's last writes: it did not finish in time");
        }
        served
    }
}

fn run(listener: TcpListener, state: web::Data<AppState>) -> std::io::Result<Server> {
    let limit = state.policy.body_limit;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(
                web::FormConfig::default()
                    .limit(limit)
                    .error_handler(site::form_error),
            )
            .app_data(web::PayloadConfig::new(limit))
            .wrap(from_fn(site::guard::guard))
            .wrap(from_fn(site::frame::frame))
            .configure(routes::configure)
            .default_service(web::to(routes::not_found))
    })
    .shutdown_timeout(SHUTDOWN_WAIT.as_secs())
    .listen(listener)?
    .run();
    Ok(server)
}
