//! Liveness and readiness, for load balancers and orchestrators.

use crate::problem::{ApiError, ProblemType};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct HealthResponse {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Whether this process's outbox worker is delivering.
#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum WorkerState {
    /// Delivering.
    Running,
    /// It stopped (panicked) and is being started again; see the log.
    Restarting,
    /// This process runs no worker (`TIDBOK_OUTBOX_WORKER=false`).
    Off,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ready", "outbox_worker": "running", "outbox_worker_restarts": 0}))]
pub struct ReadyResponse {
    #[schema(example = "ready")]
    pub status: &'static str,
    /// Notifications wait in the outbox while the worker is not running;
    /// bookings go on, so the process stays ready (alert on restarts).
    pub outbox_worker: WorkerState,
    /// How often the worker has been started again since the process began.
    pub outbox_worker_restarts: u32,
}

/// The process is up.
#[utoipa::path(tag = "operations", operation_id = "healthz",
    responses((status = 200, description = "The process is up", body = HealthResponse)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse { status: "ok" })
}

/// The database answers: ready for traffic. Also says whether the outbox
/// worker of this process is delivering.
#[utoipa::path(tag = "operations", operation_id = "readyz",
    responses(
        (status = 200, description = "Ready", body = ReadyResponse),
        (status = 503, description = "The database cannot be reached (`service-unavailable`)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    match tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await {
        Ok(Ok(())) => {
            let (outbox_worker, outbox_worker_restarts) = match &state.outbox {
                Some(w) if w.running() => (WorkerState::Running, w.restarts()),
                Some(w) => (WorkerState::Restarting, w.restarts()),
                None => (WorkerState::Off, 0),
            };
            Ok(HttpResponse::Ok().json(ReadyResponse {
                status: "ready",
                outbox_worker,
                outbox_worker_restarts,
            }))
        }
        Ok(Err(e)) => Err(ApiError::new(ProblemType::ServiceUnavailable)
            .retry_after(2)
            .caused_by(e)),
        Err(elapsed) => Err(ApiError::new(ProblemType::ServiceUnavailable)
            .retry_after(2)
            .caused_by(elapsed)),
    }
}
