//! Rule 17: guardians (ombud). A resident lists the children the population
//! register names them guardian of, and acts for one by sending the child's
//! id in the `Tidbok-Acting-For` header on the resident endpoints (see
//! [`crate::caller::ResidentCaller`]). Regional admins set the age limit and
//! load the register table the shipped adapter reads.

use crate::caller::{ResidentCaller, StaffCaller};
use crate::dto_guardians::*;
use crate::extract::ApiJson;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{get, put, web, HttpRequest};
use tidbok_domain::time::local_date;

type Json<T> = Result<web::Json<T>, ApiError>;

/// The largest register file accepted.
pub const MAX_REGISTER_BYTES: usize = 64 * 1024 * 1024;

/// Your children as the population register names them, youngest first,
/// each with whether you may act for them today (until their birthday at
/// the region's age limit, 13 unless the region sets another). Children who
/// have reached it are listed too, with `may_act` false.
#[utoipa::path(tag = "resident", operation_id = "listMyChildren", security(("bearer" = [])),
    responses((status = 200, description = "Your children", body = [ChildResponse])))]
#[get("/me/children")]
pub async fn my_children(state: web::Data<AppState>, caller: ResidentCaller) -> Json<Vec<ChildResponse>> {
    let today = local_date(state.clock.now());
    let children = state.portal.children(&caller.pnr).await?;
    Ok(web::Json(
        children.into_iter().map(|c| ChildResponse::new(c, today)).collect(),
    ))
}

/// The age until which guardians act for their children (rule 17; regional admins).
#[utoipa::path(tag = "admin", operation_id = "getGuardianAgeLimit", security(("bearer" = [])),
    responses((status = 200, description = "The age limit", body = GuardianAgeLimit)))]
#[get("/region/guardian-age-limit")]
pub async fn get_age_limit(state: web::Data<AppState>, StaffCaller(staff): StaffCaller) -> Json<GuardianAgeLimit> {
    let years = state.admin.guardian_age_limit(&staff).await?;
    Ok(web::Json(GuardianAgeLimit { years }))
}

/// Set the age until which guardians act for their children, 1 to 18
/// (rule 17; regional admins). It holds from the next request. Where
/// several regions share one installation, residents are held to the
/// lowest limit any of them sets.
#[utoipa::path(tag = "admin", operation_id = "putGuardianAgeLimit", security(("bearer" = [])),
    request_body = GuardianAgeLimit,
    responses((status = 200, description = "Changed", body = GuardianAgeLimit)))]
#[put("/region/guardian-age-limit")]
pub async fn put_age_limit(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    body: ApiJson<GuardianAgeLimit>,
) -> Json<GuardianAgeLimit> {
    let years = body.checked()?;
    let years = state.admin.set_guardian_age_limit(&staff, years).await?;
    Ok(web::Json(GuardianAgeLimit { years }))
}

/// What the population-register table holds (rule 17; regional admins).
#[utoipa::path(tag = "admin", operation_id = "getPopulationRegister", security(("bearer" = [])),
    responses((status = 200, description = "The table's size", body = RegisterSummaryResponse)))]
#[get("/region/population-register")]
pub async fn get_register(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
) -> Json<RegisterSummaryResponse> {
    Ok(web::Json(state.admin.register_summary(&staff).await?.into()))
}

/// Replace the population-register table the shipped adapter reads (rule
/// 17; regional admins): a CSV file with one guardianship per line — the
/// guardian's personal identity number, the child's, and the child's name
/// (`;`, `,` or tab separated; a header line is skipped). Any line that does
/// not read refuses the whole file with every such line listed, and so does
/// a file without a single guardianship (it would empty the register);
/// nothing is half-loaded.
#[utoipa::path(tag = "admin", operation_id = "importPopulationRegister", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "Guardian; child; child's name",
        example = "vårdnadshavare;barn;barnets namn\n198503142385;20200607-0003;Elsa Svensson\n"),
    responses(
        (status = 200, description = "Loaded", body = RegisterSummaryResponse),
        (status = 415, description = "`unsupported-media-type`: send text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`invalid-register`, with `lines`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/invalid-register", "title": "Some lines of the register file do not read", "status": 422, "detail": "1 lines do not read; nothing was loaded.", "lines": [{"line": 3, "code": "invalid_child_number", "error": "the child's number: the check digit does not match"}]})),
    ))]
#[put("/region/population-register")]
pub async fn import_register(
    req: HttpRequest,
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    mut payload: web::Payload,
) -> Json<RegisterSummaryResponse> {
    let text = super::admin::read_csv(
        &req,
        &mut payload,
        MAX_REGISTER_BYTES,
        "A register file may be at most 64 MiB.",
    )
    .await?;
    let lines = crate::selection::register_lines(&text).map_err(|_| {
        ApiError::new(crate::problem::ProblemType::MalformedRequest).detail("The file is not CSV that can be read.")
    })?;
    Ok(web::Json(state.admin.import_register(&staff, &lines).await?.into()))
}
