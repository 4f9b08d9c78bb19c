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

/// The process is up.
#[utoipa::path(tag = "operations", operation_id = "healthz",
    responses((status = 200, description = "The process is up", body = HealthResponse)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse { status: "ok" })
}

/// The database answers: ready for traffic.
#[utoipa::path(tag = "operations", operation_id = "readyz",
    responses(
        (status = 200, description = "Ready", body = HealthResponse),
        (status = 503, description = "The database cannot be reached (`service-unavailable`)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    match tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await {
        Ok(Ok(())) => Ok(HttpResponse::Ok().json(HealthResponse { status: "ready" })),
        Ok(Err(e)) => Err(ApiError::new(ProblemType::ServiceUnavailable)
            .retry_after(2)
            .caused_by(e)),
        Err(elapsed) => Err(ApiError::new(ProblemType::ServiceUnavailable)
            .retry_after(2)
            .caused_by(elapsed)),
    }
}
