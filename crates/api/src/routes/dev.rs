//! The dev login: tokens for the demo personas, for trying Tidbok without an
//! identity provider. Off unless the server runs with `TIDBOK_DEV_LOGIN=true`
//! (as `make run` does); then these endpoints answer 404 like any unknown path.

use crate::auth::{Role, DEV_TOKEN_SECONDS};
use crate::problem::{ApiError, FieldCode, Problem};
use crate::seed::{persona, PERSONAS};
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonaResponse {
    #[schema(example = "anna")]
    pub id: String,
    pub name: String,
    pub role: Role,
    pub description: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DevLoginRequest {
    /// A persona id from `GET /api/v1/dev/personas`.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, example = "anna")]
    pub persona: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: i64,
    pub role: Role,
    pub name: String,
}

fn enabled(state: &AppState) -> Result<&crate::auth::DevSigner, ApiError> {
    state.dev_login.as_ref().ok_or_else(ApiError::not_found)
}

/// The demo personas the dev login offers.
#[utoipa::path(tag = "dev-login", operation_id = "listPersonas",
    responses(
        (status = 200, description = "Personas", body = [PersonaResponse]),
        (status = 404, description = "The dev login is off (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/dev/personas")]
pub async fn personas(state: web::Data<AppState>) -> Result<web::Json<Vec<PersonaResponse>>, ApiError> {
    enabled(&state)?;
    Ok(web::Json(
        PERSONAS
            .iter()
            .map(|p| PersonaResponse {
                id: p.id.into(),
                name: p.name.into(),
                role: p.role,
                description: p.description.into(),
            })
            .collect(),
    ))
}

/// Log in as a demo persona: an access token for the `Authorization: Bearer` header.
#[utoipa::path(tag = "dev-login", operation_id = "devLogin",
    request_body = DevLoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 404, description = "The dev login is off (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such persona (`validation-failed`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/dev/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: crate::extract::ApiJson<DevLoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let signer = enabled(&state)?;
    crate::dto::validate(&*body)?;
    state.limits.login(req.peer_addr().map(|a| a.ip()), &body.persona)?;
    let p = persona(&body.persona).ok_or_else(|| ApiError::field("persona", FieldCode::Unknown, "no such persona"))?;
    let sub = match p.staff_id {
        Some(id) => id.to_string(),
        None => format!("dev-{}", p.id),
    };
    let token = signer
        .sign(
            sub,
            p.role,
            p.units.to_vec(),
            p.region,
            p.pnr.map(Into::into),
            Some(p.name.into()),
        )
        .map_err(ApiError::internal)?;
    Ok(web::Json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: DEV_TOKEN_SECONDS,
        role: p.role,
        name: p.name.into(),
    }))
}
