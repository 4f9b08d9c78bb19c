//! Building and running the server, zero-to-production style: `build` connects
//! and migrates the database, binds its own listener (port 0 in tests) and
//! exposes the port; `run_until_stopped` serves.

use crate::config::Settings;
use crate::notifications::worker::OutboxWorker;
use crate::problem::{ApiError, ProblemType};
use crate::routes::fallback::{fallback, KnownPaths};
use crate::state::AppState;
use crate::telemetry::QuietRootSpan;
use actix_web::dev::{Server, Service};
use actix_web::error::{PathError, QueryPayloadError};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{web, App, HttpMessage, HttpServer};
use std::net::TcpListener;
use tidbok_domain::ports::Clock;
use tidbok_store::Backend;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

pub struct Application {
    port: u16,
    server: Server,
    backend: Backend,
}

impl Application {
    /// The server on the system clock: the only clock a deployment has.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, std::sync::Arc::new(tidbok_domain::ports::SystemClock)).await
    }

    /// The server on a clock of the caller's (tests fix or move time with
    /// it). No setting reaches this: only code that builds the server can.
    pub async fn build_with_clock(settings: &Settings, clock: std::sync::Arc<dyn Clock>) -> anyhow::Result<Self> {
        let backend = Backend::connect(&settings.database.store_config()).await?;
        backend.migrate().await?;
        let store = backend.store_with(settings.delivery.offer_hours);
        if settings.seed_demo && crate::seed::seed_if_empty(&store, clock.now()).await? {
            tracing::info!("loaded the demo data");
        }
        let outbox = if settings.delivery.outbox_worker {
            // Checked once here (bad SMTP or SMS settings stop the start);
            // the supervisor then makes a fresh worker for every restart.
            outbox_worker(&settings.delivery, store.clone(), clock.clone())?;
            let (delivery, store, clock) = (settings.delivery.clone(), store.clone(), clock.clone());
            Some(crate::notifications::supervisor::supervise(
                move || match outbox_worker(&delivery, store.clone(), clock.clone()) {
                    Ok(worker) => Box::pin(worker.run()),
                    Err(e) => Box::pin(async move { panic!("the outbox worker could not be built: {e:#}") }),
                },
            ))
        } else {
            None
        };
        let state = web::Data::new(AppState::build(settings, store, clock, outbox)?);
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))?;
        let port = listener.local_addr()?.port();
        let static_dir = settings
            .static_dir
            .clone()
            .filter(|d| std::path::Path::new(d).join("index.html").is_file());
        if let Some(dir) = &settings.static_dir {
            if static_dir.is_none() {
                tracing::warn!(folder = %dir, "no built web app there (run `make run` or `npm run build` in frontend/); serving the API only");
            }
        }
        let headers = crate::http::SecurityHeaders::new(settings.hsts);
        let server = serve(listener, state, settings.workers, static_dir, headers)?;
        Ok(Self { port, server, backend })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The outbox worker with the transports the settings configure. A channel
/// without SMTP or SMS gateway falls back to the outbox folder when one is
/// set; otherwise its deliveries wait (and are retried) until one is.
fn outbox_worker(
    settings: &crate::config::DeliverySettings,
    store: std::sync::Arc<dyn tidbok_domain::ports::Store>,
    clock: std::sync::Arc<dyn tidbok_domain::ports::Clock>,
) -> anyhow::Result<OutboxWorker> {
    use crate::notifications::deliver::{FolderSink, SmsGateway, SmtpTransport, Transport};
    use std::sync::Arc;
    let folder: Option<Arc<dyn Transport>> = match &settings.outbox_dir {
        Some(dir) => Some(Arc::new(FolderSink::new(dir)?)),
        None => None,
    };
    let email: Option<Arc<dyn Transport>> = match &settings.smtp_url {
        Some(url) => Some(Arc::new(SmtpTransport::new(url, &settings.mail_from)?)),
        None => folder.clone(),
    };
    let sms: Option<Arc<dyn Transport>> = match &settings.sms_url {
        Some(url) => Some(Arc::new(SmsGateway::new(url, &settings.sms_key, &settings.sms_sender)?)),
        None => folder,
    };
    if email.is_none() || sms.is_none() {
        tracing::warn!(
            "no SMTP server or SMS gateway configured for every channel: those deliveries wait in the outbox"
        );
    }
    let composer = Arc::new(crate::notifications::compose::TemplateComposer::swedish(
        &settings.public_url,
    ));
    Ok(OutboxWorker {
        id: uuid::Uuid::new_v4(),
        // Rule 17: reminders and offers go to a guardian only while they act for the child.
        portal: tidbok_domain::usecases::resident::ResidentPortal::new(store.clone(), clock.clone(), composer)
            .with_register(store.clone()),
        store,
        clock,
        email,
        sms,
        max_attempts: settings.max_attempts.max(1),
        lease: chrono::Duration::seconds(i64::from(settings.lease_seconds.max(1))),
        batch: 20,
        poll: std::time::Duration::from_millis(settings.poll_ms.max(10)),
    })
}

/// The contract, as the running server serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi as _;
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(crate::openapi::ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    crate::openapi::finish(api)
}

fn serve(
    listener: TcpListener,
    state: web::Data<AppState>,
    workers: Option<usize>,
    static_dir: Option<String>,
    headers: crate::http::SecurityHeaders,
) -> std::io::Result<Server> {
    let api = openapi();
    let known = web::Data::new(KnownPaths::from_openapi(&api));
    let static_dir = static_dir.map(std::path::PathBuf::from);
    let index = static_dir
        .as_ref()
        .map(|d| web::Data::new(crate::routes::fallback::WebApp(d.join("index.html"))));
    let mut server = HttpServer::new(move || {
        let (app, _) = App::new()
            .into_utoipa_app()
            .app_data(state.clone())
            .app_data(known.clone())
            .app_data(
                index
                    .clone()
                    .unwrap_or_else(|| web::Data::new(crate::routes::fallback::WebApp(Default::default()))),
            )
            .app_data(payload_config())
            .app_data(query_config())
            .app_data(path_config())
            .configure(crate::routes::configure)
            .split_for_parts();
        let app = app.service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", api.clone()));
        let app = match static_dir.as_ref().and_then(|d| d.to_str()) {
            // The web app last: any path the API does not own is the app's
            // (client-side routes get index.html); API paths keep their
            // problem+json 404s and 405s.
            // GET and HEAD only: other methods fall through to the problem
            // answers instead of actix-files' plain-text 405.
            // Compressed (brotli or gzip, as the browser accepts).
            Some(dir) => app.service(
                web::scope("")
                    .guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
                    .wrap(actix_web::middleware::Compress::default())
                    .service(
                        actix_files::Files::new("/", dir)
                            .index_file("index.html")
                            .default_handler(web::to(crate::routes::fallback::web_app)),
                    ),
            ),
            None => app,
        };
        app.default_service(web::to(fallback))
            .wrap_fn(|req, srv| {
                let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
                let response = srv.call(req);
                async move {
                    let mut response = response.await?;
                    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        response
                            .headers_mut()
                            .insert(HeaderName::from_static("x-request-id"), value);
                    }
                    Ok(response)
                }
            })
            .wrap_fn({
                let headers = headers.clone();
                move |mut req, srv| {
                    let head = crate::http::normalize(&mut req);
                    let kind = crate::http::Kind::of(req.path());
                    let response = srv.call(req);
                    let headers = headers.clone();
                    async move {
                        let mut response = response.await?;
                        headers.apply(kind, response.headers_mut());
                        Ok(if head {
                            crate::http::strip_body(response)
                        } else {
                            response.map_into_boxed_body()
                        })
                    }
                }
            })
            .wrap(TracingLogger::<QuietRootSpan>::new())
    })
    .listen(listener)?;
    if let Some(workers) = workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}

fn payload_config() -> web::PayloadConfig {
    web::PayloadConfig::new(crate::extract::MAX_BODY_BYTES)
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let detail = match &err {
            QueryPayloadError::Deserialize(e) => format!("Invalid query: {e}"),
            _ => "Invalid query.".to_owned(),
        };
        ApiError::new(ProblemType::MalformedRequest).detail(detail).into()
    })
}

/// A path parameter that does not parse: a date that is not `YYYY-MM-DD` is
/// a malformed request naming the parameter; an id that is not a UUID names
/// no resource, so it is not found.
fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| {
        let _: &PathError = &err;
        let bad_date = req
            .match_info()
            .iter()
            .find(|(name, value)| name.ends_with("date") && value.parse::<chrono::NaiveDate>().is_err());
        match bad_date {
            Some((name, _)) => ApiError::new(ProblemType::MalformedRequest)
                .detail(format!("The `{name}` in the path must be a calendar date, YYYY-MM-DD."))
                .with("parameter", name),
            None => ApiError::not_found().detail("No such resource: an id in the path is not a valid UUID."),
        }
        .into()
    })
}
