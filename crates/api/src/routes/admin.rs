//! The administrators' endpoints. Regional admins: the appointment-type
//! catalogue, setting the online services up for units, the region's
//! notification switch. Unit admins: terms texts, activation and audience,
//! the restricted selection (CSV import), the unit's access log.

use crate::caller::StaffCaller;
use crate::dto::validate;
use crate::dto_staff::*;
use crate::extract::ApiJson;
use crate::problem::{ApiError, FieldCode, Problem, ProblemType};
use crate::state::AppState;
use actix_web::{get, post, put, web, HttpMessage, HttpRequest, HttpResponse};
use tidbok_domain::ports::AccessLogFilter;
use tidbok_domain::*;
use uuid::Uuid;

type Json<T> = Result<web::Json<T>, ApiError>;

/// Largest CSV import, in bytes (about 100 000 numbers).
pub const MAX_CSV_BYTES: usize = 2 * 1024 * 1024;

fn service(name: &str) -> Result<OnlineService, ApiError> {
    name.parse()
        .map_err(|_| ApiError::not_found().detail("No such service: use book_online or cancel_rebook_online."))
}

/// The region's appointment-type catalogue, retired types included.
#[utoipa::path(tag = "admin", operation_id = "listCatalogue", security(("bearer" = [])),
    responses((status = 200, description = "The catalogue", body = [CatalogueTypeResponse])))]
#[get("/appointment-types")]
pub async fn list_types(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
) -> Json<Vec<CatalogueTypeResponse>> {
    let types = state.admin.appointment_types(&staff).await?;
    Ok(web::Json(types.iter().map(Into::into).collect()))
}

/// Add a type to the region's catalogue.
#[utoipa::path(tag = "admin", operation_id = "createAppointmentType", security(("bearer" = [])),
    request_body = AppointmentTypeRequest,
    responses(
        (status = 201, description = "Created", body = CatalogueTypeResponse),
        (status = 409, description = "`duplicate-name`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/appointment-types")]
pub async fn create_type(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    body: ApiJson<AppointmentTypeRequest>,
) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let region = staff.region.unwrap_or_else(|| RegionId::from_uuid(Uuid::nil()));
    let ty = body.to_type(AppointmentTypeId::generate(), region)?;
    let created = state.admin.create_appointment_type(&staff, ty).await?;
    Ok(HttpResponse::Created().json(CatalogueTypeResponse::from(&created)))
}

/// Change a type (name, profession, mode, length, portal policy,
/// eligibility, instructions) or retire it (`retired: true`).
#[utoipa::path(tag = "admin", operation_id = "updateAppointmentType", security(("bearer" = [])),
    params(("type_id" = Uuid, Path, description = "The type")),
    request_body = AppointmentTypeRequest,
    responses(
        (status = 200, description = "Changed", body = CatalogueTypeResponse),
        (status = 409, description = "`duplicate-name`", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/appointment-types/{type_id}")]
pub async fn update_type(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<AppointmentTypeRequest>,
) -> Json<CatalogueTypeResponse> {
    validate(&*body)?;
    let region = staff.region.unwrap_or_else(|| RegionId::from_uuid(Uuid::nil()));
    let ty = body.to_type(AppointmentTypeId::from_uuid(path.into_inner()), region)?;
    let updated = state.admin.update_appointment_type(&staff, ty).await?;
    Ok(web::Json((&updated).into()))
}

/// The region's settings.
#[utoipa::path(tag = "admin", operation_id = "getRegion", security(("bearer" = [])),
    responses((status = 200, description = "The region", body = RegionResponse)))]
#[get("/region")]
pub async fn get_region(state: web::Data<AppState>, StaffCaller(staff): StaffCaller) -> Json<RegionResponse> {
    Ok(web::Json((&state.admin.region(&staff).await?).into()))
}

/// Whether staff cancellations notify residents (rule 10; on by default).
#[utoipa::path(tag = "admin", operation_id = "updateRegion", security(("bearer" = [])),
    request_body = RegionSettingsRequest,
    responses((status = 200, description = "Changed", body = RegionResponse)))]
#[put("/region")]
pub async fn update_region(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    body: ApiJson<RegionSettingsRequest>,
) -> Json<RegionResponse> {
    let region = state
        .admin
        .set_notify_on_staff_cancel(&staff, body.notify_on_staff_cancel)
        .await?;
    Ok(web::Json((&region).into()))
}

/// The region's reminders before each visit (rule 14; regional admins).
/// Every unit without reminders of its own takes them from the next
/// booking on; bookings already made keep the reminders planned for them.
#[utoipa::path(tag = "admin", operation_id = "updateRegionReminders", security(("bearer" = [])),
    request_body = RegionRemindersRequest,
    responses((status = 200, description = "Changed", body = RegionResponse)))]
#[put("/region/reminders")]
pub async fn update_region_reminders(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    body: ApiJson<RegionRemindersRequest>,
) -> Json<RegionResponse> {
    let policy = policy("reminders", &body.reminders)?;
    let region = state.admin.set_region_reminders(&staff, policy).await?;
    Ok(web::Json((&region).into()))
}

/// A unit's reminders before each visit (rule 14): its own or its region's
/// (staff of the unit, its admins and the region's).
#[utoipa::path(tag = "admin", operation_id = "getUnitReminders", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses((status = 200, description = "The unit's reminders", body = UnitReminderSettings)))]
#[get("/units/{unit_id}/reminder-settings")]
pub async fn unit_reminders(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<UnitReminderSettings> {
    let r = state
        .admin
        .unit_reminders(&staff, UnitId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json((&r).into()))
}

/// Give a unit reminders of its own, or let it follow its region's again
/// (the unit's admins and the region's). Applies from the next booking on.
#[utoipa::path(tag = "admin", operation_id = "putUnitReminders", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    request_body = UnitRemindersRequest,
    responses((status = 200, description = "The unit's reminders", body = UnitReminderSettings)))]
#[put("/units/{unit_id}/reminder-settings")]
pub async fn put_unit_reminders(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<UnitRemindersRequest>,
) -> Json<UnitReminderSettings> {
    let own = match (body.own, &body.reminders) {
        (true, Some(list)) => Some(policy("reminders", list)?),
        (true, None) => {
            return Err(ApiError::field(
                "reminders",
                FieldCode::Required,
                "a unit's own reminders need the list",
            ))
        }
        (false, Some(_)) => {
            return Err(ApiError::field(
                "reminders",
                FieldCode::OneOf,
                "a unit that follows its region takes no list of its own",
            ))
        }
        (false, None) => None,
    };
    let r = state
        .admin
        .set_unit_reminders(&staff, UnitId::from_uuid(path.into_inner()), own)
        .await?;
    Ok(web::Json((&r).into()))
}

async fn service_response(
    state: &AppState,
    staff: &tidbok_domain::staff::StaffMember,
    unit: UnitId,
    setting: &ServiceSetting,
) -> Result<AdminServiceResponse, ApiError> {
    let size = if staff.role == StaffRole::UnitAdmin {
        state.admin.selection_size(staff, unit, setting.service).await?
    } else {
        0
    };
    Ok(AdminServiceResponse::new(setting, size))
}

/// The unit's online services as set up, with terms and activation
/// (unit admins of the unit, regional admins of its region).
#[utoipa::path(tag = "admin", operation_id = "listUnitServices", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses((status = 200, description = "The services set up", body = [AdminServiceResponse])))]
#[get("/units/{unit_id}/services")]
pub async fn services(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<Vec<AdminServiceResponse>> {
    let (unit, settings) = state
        .admin
        .services(&staff, UnitId::from_uuid(path.into_inner()))
        .await?;
    let mut out = Vec::with_capacity(settings.len());
    for s in &settings {
        out.push(service_response(&state, &staff, unit.id, s).await?);
    }
    Ok(web::Json(out))
}

/// Set a service up for the unit (regional admins). It starts inactive.
#[utoipa::path(tag = "admin", operation_id = "setUpService", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit"), ("service" = String, Path, description = "`book_online` or `cancel_rebook_online`")),
    responses((status = 200, description = "Set up", body = AdminServiceResponse)))]
#[put("/units/{unit_id}/services/{service}")]
pub async fn set_up_service(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<(Uuid, String)>,
) -> Json<AdminServiceResponse> {
    let (unit, name) = path.into_inner();
    let unit = UnitId::from_uuid(unit);
    let setting = state.admin.set_up_service(&staff, unit, service(&name)?).await?;
    Ok(web::Json(service_response(&state, &staff, unit, &setting).await?))
}

/// The terms text residents confirm (rule 9), in Markdown; stored with its
/// sanitised HTML (no script or event handler survives).
#[utoipa::path(tag = "admin", operation_id = "updateTerms", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit"), ("service" = String, Path, description = "`book_online` or `cancel_rebook_online`")),
    request_body = TermsRequest,
    responses(
        (status = 200, description = "Saved", body = AdminServiceResponse),
        (status = 409, description = "`service-not-set-up`", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/units/{unit_id}/services/{service}/terms")]
pub async fn update_terms(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<(Uuid, String)>,
    body: ApiJson<TermsRequest>,
) -> Json<AdminServiceResponse> {
    validate(&*body)?;
    let (unit, name) = path.into_inner();
    let unit = UnitId::from_uuid(unit);
    let html = crate::terms::render(&body.terms_markdown);
    let setting = state
        .admin
        .update_terms(&staff, unit, service(&name)?, &body.terms_markdown, &html)
        .await?;
    Ok(web::Json(service_response(&state, &staff, unit, &setting).await?))
}

/// How a terms text will look to residents, without saving it (unit admins).
#[utoipa::path(tag = "admin", operation_id = "previewTerms", security(("bearer" = [])),
    request_body = TermsRequest,
    responses((status = 200, description = "The sanitised HTML", body = TermsPreview)))]
#[post("/terms/preview")]
pub async fn preview_terms(StaffCaller(staff): StaffCaller, body: ApiJson<TermsRequest>) -> Json<TermsPreview> {
    if staff.role != StaffRole::UnitAdmin {
        return Err(ApiError::new(ProblemType::Forbidden).detail("Terms texts are written by unit admins."));
    }
    validate(&*body)?;
    Ok(web::Json(TermsPreview {
        terms_html: crate::terms::render(&body.terms_markdown),
    }))
}

/// Activate or deactivate the service, for all residents or the restricted selection.
#[utoipa::path(tag = "admin", operation_id = "setActivation", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit"), ("service" = String, Path, description = "`book_online` or `cancel_rebook_online`")),
    request_body = ActivationRequest,
    responses(
        (status = 200, description = "Saved", body = AdminServiceResponse),
        (status = 409, description = "`service-not-set-up`", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/units/{unit_id}/services/{service}/activation")]
pub async fn set_activation(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<(Uuid, String)>,
    body: ApiJson<ActivationRequest>,
) -> Json<AdminServiceResponse> {
    let (unit, name) = path.into_inner();
    let unit = UnitId::from_uuid(unit);
    let setting = state
        .admin
        .set_activation(&staff, unit, service(&name)?, body.active, body.audience.into())
        .await?;
    Ok(web::Json(service_response(&state, &staff, unit, &setting).await?))
}

/// Replace the restricted selection from a CSV file: one personal identity
/// number per line (the first column; a header line is skipped). Any invalid
/// line refuses the whole file with every invalid line listed; nothing is
/// half-imported.
#[utoipa::path(tag = "admin", operation_id = "importSelection", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit"), ("service" = String, Path, description = "`book_online` or `cancel_rebook_online`")),
    request_body(content = String, content_type = "text/csv", description = "One number per line", example = "personnummer\n19121212-1212\n198503142385\n"),
    responses(
        (status = 200, description = "Imported", body = SelectionResponse),
        (status = 409, description = "`service-not-set-up`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported-media-type`: send text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`invalid-selection`, with `lines`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/invalid-selection", "title": "Some lines are not personal identity numbers", "status": 422, "detail": "1 lines are not valid personal identity numbers; nothing was imported.", "lines": [{"line": 3, "error": "the check digit does not match"}]})),
    ))]
#[put("/units/{unit_id}/services/{service}/selection")]
pub async fn import_selection(
    req: HttpRequest,
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<(Uuid, String)>,
    mut payload: web::Payload,
) -> Json<SelectionResponse> {
    let text = read_csv(
        &req,
        &mut payload,
        MAX_CSV_BYTES,
        "A selection file may be at most 2 MiB.",
    )
    .await?;
    let lines = crate::selection::numbers(&text);
    let (unit, name) = path.into_inner();
    let size = state
        .admin
        .import_selection(&staff, UnitId::from_uuid(unit), service(&name)?, &lines)
        .await?;
    Ok(web::Json(SelectionResponse { size }))
}

/// A CSV file's text from a request body: `text/csv` (or `text/plain`),
/// UTF-8, at most `max` bytes (`too_large` says so).
pub async fn read_csv(
    req: &HttpRequest,
    payload: &mut web::Payload,
    max: usize,
    too_large: &str,
) -> Result<String, ApiError> {
    use futures_util::StreamExt;
    let csv_type =
        matches!(req.mime_type(), Ok(Some(m)) if m.essence_str() == "text/csv" || m.essence_str() == "text/plain");
    if !csv_type {
        return Err(ApiError::new(ProblemType::UnsupportedMediaType).detail("Send the file as Content-Type: text/csv."));
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|_| ApiError::new(ProblemType::MalformedRequest).detail("The file could not be read."))?;
        if body.len() + chunk.len() > max {
            return Err(ApiError::new(ProblemType::PayloadTooLarge).detail(too_large));
        }
        body.extend_from_slice(&chunk);
    }
    String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::new(ProblemType::MalformedRequest).detail("The file must be UTF-8."))
}

/// The unit's access log: who read or changed which resident's data, newest first.
#[utoipa::path(tag = "admin", operation_id = "unitAccessLog", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit"), AccessLogQuery),
    responses((status = 200, description = "Log lines", body = [AccessLogEntryResponse])))]
#[get("/units/{unit_id}/access-log")]
pub async fn access_log(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    query: web::Query<AccessLogQuery>,
) -> Json<Vec<AccessLogEntryResponse>> {
    validate(&*query)?;
    let filter = AccessLogFilter {
        from: query.from,
        to: query.to,
        actor: query.actor_id,
        resident: query.resident_id.map(ResidentId::from_uuid),
        action: query.action.map(Into::into),
        limit: query.limit.unwrap_or(200),
    };
    let lines = state
        .admin
        .access_log(&staff, UnitId::from_uuid(path.into_inner()), &filter)
        .await?;
    Ok(web::Json(lines.iter().map(Into::into).collect()))
}
