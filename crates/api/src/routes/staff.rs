//! The staff's endpoints: the appointment book (views, bookings, actions,
//! summons, cancellation feed) and scheduling (templates, publishing,
//! one-day changes, empty days, horizon). Staff and unit admins act in their
//! own units only; every read or change of a resident's data is logged.

use crate::caller::StaffCaller;
use crate::dto::*;
use crate::dto_staff::*;
use crate::extract::ApiJson;
use crate::problem::{ApiError, FieldCode, Problem};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::NaiveDate;
use tidbok_domain::ports::Published;
use tidbok_domain::usecases::{StaffBooking, StaffBookingTarget};
use tidbok_domain::*;
use uuid::Uuid;

type Json<T> = Result<web::Json<T>, ApiError>;

pub(crate) fn pnr(text: &str, state: &AppState) -> Result<PersonalIdentityNumber, ApiError> {
    PersonalIdentityNumber::parse(text, tidbok_domain::time::local_date(state.clock.now()))
        .map_err(|e| ApiError::field("personal_identity_number", e.into(), e.to_string()))
}

/// Who you are and the units you may work in.
#[utoipa::path(tag = "staff", operation_id = "staffMe", security(("bearer" = [])),
    responses((status = 200, description = "The caller", body = StaffMeResponse)))]
#[get("/staff/me")]
pub async fn me(state: web::Data<AppState>, StaffCaller(staff): StaffCaller) -> Json<StaffMeResponse> {
    let mut units = Vec::new();
    for unit in state.store.units().await? {
        let mine = staff.units.contains(&unit.id)
            || (staff.role == StaffRole::RegionalAdmin && staff.region == Some(unit.region_id));
        if mine {
            units.push(NamedRef {
                id: unit.id.as_uuid(),
                name: unit.name,
            });
        }
    }
    let practitioner_id = state.desk.own_practitioner(&staff).await?.map(|p| p.id.as_uuid());
    Ok(web::Json(StaffMeResponse {
        id: staff.id.as_uuid(),
        role: staff.role.into(),
        name: staff.name.clone(),
        units,
        region: staff.region.map(|r| r.as_uuid()),
        practitioner_id,
    }))
}

/// The unit's practitioners.
#[utoipa::path(tag = "staff", operation_id = "listPractitioners", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses((status = 200, description = "Practitioners", body = [PractitionerResponse])))]
#[get("/units/{unit_id}/practitioners")]
pub async fn practitioners(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<Vec<PractitionerResponse>> {
    let list = state
        .desk
        .practitioners(&staff, UnitId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(list.iter().map(Into::into).collect()))
}

/// The appointment types the unit can schedule and book (the region's
/// catalogue without retired types).
#[utoipa::path(tag = "scheduling", operation_id = "unitCatalogue", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses((status = 200, description = "Types", body = [CatalogueTypeResponse])))]
#[get("/units/{unit_id}/catalogue")]
pub async fn unit_catalogue(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<Vec<CatalogueTypeResponse>> {
    let types = state
        .desk
        .unit_catalogue(&staff, UnitId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(types.iter().map(Into::into).collect()))
}

/// The appointment book: a day (`from`) or up to 31 days (`from`..`to`),
/// every slot with every booking it has had. Cancelled bookings stay, with
/// reason, by whom and when (rule 11).
#[utoipa::path(tag = "staff", operation_id = "getBook", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit"), BookQuery),
    responses(
        (status = 200, description = "The book", body = BookResponse),
        (status = 422, description = "`invalid-date-range`", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/units/{unit_id}/book")]
pub async fn appointment_book(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    query: web::Query<BookQuery>,
) -> Json<BookResponse> {
    let unit = UnitId::from_uuid(path.into_inner());
    let to = query.to.unwrap_or(query.from);
    let slots = state
        .desk
        .appointment_book(
            &staff,
            unit,
            query.from,
            to,
            query.practitioner_id.map(PractitionerId::from_uuid),
        )
        .await?;
    let unit = state.store.unit(unit).await?.ok_or_else(ApiError::not_found)?;
    Ok(web::Json(BookResponse {
        unit: NamedRef {
            id: unit.id.as_uuid(),
            name: unit.name,
        },
        from: query.from,
        to,
        slots: slots.iter().map(Into::into).collect(),
    }))
}

fn staff_booking(result: (BookingDetails, Resident)) -> StaffBookingResponse {
    StaffBookingResponse::new(&result.0, &result.1)
}

/// Book a resident (by personal identity number) into a free slot or at an
/// ad-hoc time that collides with no other booking of the practitioner. The
/// resident is notified (rule 10) unless the type is hidden or the booking
/// hidden in the portal (rule 21). A time that has already started is refused
/// (`starts-in-past`) unless `record_after_the_fact` says the visit is being
/// recorded afterwards, which notifies no one (rule 20).
#[utoipa::path(tag = "staff", operation_id = "staffBook", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    request_body = StaffBookRequest,
    responses(
        (status = 201, description = "Booked", body = StaffBookingResponse, headers(("Location" = String, description = "The booking"))),
        (status = 404, description = "No such slot or practitioner at the unit (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`slot-already-booked` or `time-collides`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation-failed`, `starts-in-past` or `appointment-type-not-usable`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/starts-in-past", "title": "The time has already started", "status": 422, "detail": "The time has already started. Pick a time ahead, or record the visit after the fact."})),
    ))]
#[post("/units/{unit_id}/bookings")]
pub async fn book_resident(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<StaffBookRequest>,
) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let target = match (&body.slot_id, &body.ad_hoc) {
        (Some(slot), None) => StaffBookingTarget::Slot(SlotId::from_uuid(*slot)),
        (None, Some(t)) => StaffBookingTarget::AdHoc {
            practitioner: PractitionerId::from_uuid(t.practitioner_id),
            appointment_type: AppointmentTypeId::from_uuid(t.appointment_type_id),
            starts_at: tidbok_domain::time::truncate_micros(t.starts_at),
            length_minutes: t.length_minutes,
        },
        _ => {
            return Err(ApiError::field(
                "slot_id",
                FieldCode::OneOf,
                "give either slot_id or ad_hoc",
            ))
        }
    };
    let request = StaffBooking {
        pnr: pnr(&body.personal_identity_number, &state)?,
        target,
        reason_for_visit: body
            .reason_for_visit
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| text_field("reason_for_visit", ReasonForVisit::parse(r)))
            .transpose()?,
        message: body
            .message
            .as_deref()
            .map(|m| text_field("message", BookingMessage::parse(m)))
            .transpose()?,
        hidden_in_portal: body.hidden_in_portal,
        record_after_the_fact: body.record_after_the_fact,
    };
    let booked = staff_booking(
        state
            .desk
            .book_resident(&staff, UnitId::from_uuid(path.into_inner()), request)
            .await?,
    );
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/bookings/{}", booked.id)))
        .json(booked))
}

/// Look a resident up by personal identity number, to confirm whom a booking
/// is for before making it. The look-up is written to the access log; an
/// unknown number gives `resident: null` and records nothing.
#[utoipa::path(tag = "staff", operation_id = "staffLookUpResident", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit the booking is for")),
    request_body = ResidentLookupRequest,
    responses((status = 200, description = "The resident, or null", body = ResidentLookupResponse)))]
#[post("/units/{unit_id}/resident-lookup")]
pub async fn look_up_resident(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<ResidentLookupRequest>,
) -> Json<ResidentLookupResponse> {
    validate(&*body)?;
    let number = pnr(&body.personal_identity_number, &state)?;
    let resident = state
        .desk
        .look_up_resident(&staff, UnitId::from_uuid(path.into_inner()), &number)
        .await?;
    Ok(web::Json(ResidentLookupResponse {
        resident: resident.as_ref().map(Into::into),
    }))
}

/// One booking with its resident.
#[utoipa::path(tag = "staff", operation_id = "staffGetBooking", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    responses((status = 200, description = "The booking", body = StaffBookingResponse)))]
#[get("/bookings/{booking_id}")]
pub async fn get_booking(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<StaffBookingResponse> {
    Ok(web::Json(staff_booking(
        state
            .desk
            .booking(&staff, BookingId::from_uuid(path.into_inner()))
            .await?,
    )))
}

/// Hide or show the booking in the resident's portal ("Dölj i 1177").
#[utoipa::path(tag = "staff", operation_id = "setHiddenInPortal", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    request_body = HiddenRequest,
    responses((status = 200, description = "Changed", body = StaffBookingResponse)))]
#[put("/bookings/{booking_id}/hidden-in-portal")]
pub async fn set_hidden(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<HiddenRequest>,
) -> Json<StaffBookingResponse> {
    let id = BookingId::from_uuid(path.into_inner());
    Ok(web::Json(staff_booking(
        state
            .desk
            .set_hidden_in_portal(&staff, id, body.hidden_in_portal)
            .await?,
    )))
}

/// Move a booking to another free slot of the unit; the resident is notified.
#[utoipa::path(tag = "staff", operation_id = "staffRebook", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    request_body = StaffRebookRequest,
    responses(
        (status = 201, description = "Rebooked: the new booking", body = StaffBookingResponse),
        (status = 409, description = "`slot-already-booked` or `booking-not-active`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/bookings/{booking_id}/rebook")]
pub async fn rebook(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<StaffRebookRequest>,
) -> Result<HttpResponse, ApiError> {
    let moved = state
        .desk
        .rebook(
            &staff,
            BookingId::from_uuid(path.into_inner()),
            SlotId::from_uuid(body.slot_id),
        )
        .await?;
    let moved = staff_booking(moved);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/bookings/{}", moved.id)))
        .json(moved))
}

/// Cancel with a reason; the resident is notified unless the region has
/// switched that off (rule 10).
#[utoipa::path(tag = "staff", operation_id = "staffCancel", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    request_body = CancelRequest,
    responses(
        (status = 200, description = "Cancelled", body = StaffBookingResponse),
        (status = 409, description = "`booking-not-active`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/bookings/{booking_id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<CancelRequest>,
) -> Json<StaffBookingResponse> {
    validate(&*body)?;
    let reason = text_field("reason", CancellationReason::parse(&body.reason))?;
    Ok(web::Json(staff_booking(
        state
            .desk
            .cancel(&staff, BookingId::from_uuid(path.into_inner()), reason)
            .await?,
    )))
}

/// Kommit: the resident has arrived.
#[utoipa::path(tag = "staff", operation_id = "markArrived", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    responses(
        (status = 200, description = "Marked", body = StaffBookingResponse),
        (status = 409, description = "`booking-not-active`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/bookings/{booking_id}/arrived")]
pub async fn arrived(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<StaffBookingResponse> {
    let id = BookingId::from_uuid(path.into_inner());
    Ok(web::Json(staff_booking(state.desk.mark_arrived(&staff, id).await?)))
}

/// A booking made by mistake: kept and marked, never erased; its slot is freed.
#[utoipa::path(tag = "staff", operation_id = "markEnteredInError", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    responses(
        (status = 200, description = "Marked", body = StaffBookingResponse),
        (status = 409, description = "`booking-not-active`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/bookings/{booking_id}/entered-in-error")]
pub async fn entered_in_error(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<StaffBookingResponse> {
    let id = BookingId::from_uuid(path.into_inner());
    Ok(web::Json(staff_booking(
        state.desk.mark_entered_in_error(&staff, id).await?,
    )))
}

/// The summons (kallelse) as a printable page.
#[utoipa::path(tag = "staff", operation_id = "printSummons", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    responses((status = 200, description = "A printable HTML page", body = String, content_type = "text/html")))]
#[get("/bookings/{booking_id}/summons")]
pub async fn summons(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (details, resident) = state
        .desk
        .summons(&staff, BookingId::from_uuid(path.into_inner()))
        .await?;
    let html = crate::summons::render(&details, &resident, state.clock.now()).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

/// Residents' own cancellations and rebookings since `since`: what the unit
/// never heard of from 1177 (rule 11).
#[utoipa::path(tag = "staff", operation_id = "cancellationFeed", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit"), FeedQuery),
    responses((status = 200, description = "The feed, oldest first", body = FeedResponse)))]
#[get("/units/{unit_id}/cancellations")]
pub async fn cancellations(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    query: web::Query<FeedQuery>,
) -> Json<FeedResponse> {
    validate(&*query)?;
    let limit = query.limit.unwrap_or(100);
    let entries = state
        .desk
        .cancellation_feed(&staff, UnitId::from_uuid(path.into_inner()), query.since, limit)
        .await?;
    let next_since = entries.last().map(|e| e.at).unwrap_or(query.since);
    Ok(web::Json(FeedResponse {
        entries: entries.iter().map(Into::into).collect(),
        next_since,
    }))
}

/// A practitioner's schedule template.
#[utoipa::path(tag = "scheduling", operation_id = "getTemplate", security(("bearer" = [])),
    params(("practitioner_id" = Uuid, Path, description = "The practitioner")),
    responses((status = 200, description = "The template", body = TemplateResponse)))]
#[get("/practitioners/{practitioner_id}/template")]
pub async fn get_template(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<TemplateResponse> {
    let id = PractitionerId::from_uuid(path.into_inner());
    let blocks = state.desk.template(&staff, id).await?;
    Ok(web::Json(TemplateResponse {
        practitioner_id: id.as_uuid(),
        blocks: blocks.iter().map(Into::into).collect(),
    }))
}

/// Replace a practitioner's template. Overlapping blocks are refused with a
/// `template-overlap` problem naming both.
#[utoipa::path(tag = "scheduling", operation_id = "putTemplate", security(("bearer" = [])),
    params(("practitioner_id" = Uuid, Path, description = "The practitioner")),
    request_body = TemplateRequest,
    responses(
        (status = 200, description = "The new template", body = TemplateResponse),
        (status = 422, description = "`validation-failed`, `template-overlap` or `appointment-type-not-usable`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/template-overlap", "title": "Two template blocks overlap", "status": 422, "detail": "Blocks 1 and 2 overlap.", "first": 1, "second": 2})),
    ))]
#[put("/practitioners/{practitioner_id}/template")]
pub async fn put_template(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<TemplateRequest>,
) -> Json<TemplateResponse> {
    validate(&*body)?;
    let blocks = body
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| b.to_block(i, None))
        .collect::<Result<Vec<_>, _>>()?;
    let id = PractitionerId::from_uuid(path.into_inner());
    let blocks = state.desk.put_template(&staff, id, blocks).await?;
    Ok(web::Json(TemplateResponse {
        practitioner_id: id.as_uuid(),
        blocks: blocks.iter().map(Into::into).collect(),
    }))
}

async fn published(state: &AppState, p: Published, dry_run: bool) -> Result<PublishResponse, ApiError> {
    let mut conflicts = Vec::with_capacity(p.conflicts.len());
    for id in &p.conflicts {
        if let Some(slot) = state.store.slot(*id).await? {
            conflicts.push(ConflictResponse::from(&slot));
        }
    }
    Ok(PublishResponse {
        created: p.created,
        withdrawn: p.withdrawn,
        conflicts,
        skipped_holidays: p
            .skipped_holidays
            .into_iter()
            .map(|(date, h)| SkippedHoliday {
                date,
                holiday: HolidayName(h),
            })
            .collect(),
        dry_run,
    })
}

/// Generate the slots of `from`..`to` from the template (and one-day
/// changes). Publishing again changes nothing; after a template change, free
/// slots that no longer fit are withdrawn and booked ones come back as
/// conflicts — never moved or deleted. Swedish public holidays are skipped
/// (and listed) unless the unit publishes on them (rule 22). `dry_run: true`
/// reports what would happen and changes nothing.
#[utoipa::path(tag = "scheduling", operation_id = "publish", security(("bearer" = [])),
    params(("practitioner_id" = Uuid, Path, description = "The practitioner")),
    request_body = PublishRequest,
    responses(
        (status = 200, description = "Published (or, with `dry_run`, what would be)", body = PublishResponse,
            example = json!({"created": 312, "withdrawn": 0, "conflicts": [], "skipped_holidays": [{"date": "2026-12-24", "holiday": "christmas_eve"}, {"date": "2026-12-25", "holiday": "christmas_day"}], "dry_run": true})),
        (status = 422, description = "`invalid-date-range`, or `validation-failed` with code `before_from` when `to` lies before `from`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/practitioners/{practitioner_id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<PublishRequest>,
) -> Json<PublishResponse> {
    let p = state
        .desk
        .publish(
            &staff,
            PractitionerId::from_uuid(path.into_inner()),
            body.from,
            body.to,
            body.dry_run,
        )
        .await?;
    Ok(web::Json(published(&state, p, body.dry_run).await?))
}

/// The practitioner and date of a `/practitioners/{id}/days/{date}` path.
fn practitioner_day(path: web::Path<(Uuid, NaiveDate)>) -> (PractitionerId, NaiveDate) {
    let (id, day) = path.into_inner();
    (PractitionerId::from_uuid(id), day)
}

/// Ändra mall tillfälligt: other blocks for this date only; the date is
/// republished at once. An empty list empties the day.
#[utoipa::path(tag = "scheduling", operation_id = "changeDay", security(("bearer" = [])),
    params(("practitioner_id" = Uuid, Path, description = "The practitioner"), ("date" = NaiveDate, Path, description = "The date (Stockholm)")),
    request_body = TemplateRequest,
    responses(
        (status = 200, description = "Changed and republished", body = PublishResponse),
        (status = 422, description = "`validation-failed`, `template-overlap`, `invalid-date-range` or `appointment-type-not-usable`", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/practitioners/{practitioner_id}/days/{date}")]
pub async fn change_day(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<(Uuid, NaiveDate)>,
    body: ApiJson<TemplateRequest>,
) -> Json<PublishResponse> {
    validate(&*body)?;
    let (id, day) = practitioner_day(path);
    let weekday = chrono::Datelike::weekday(&day);
    let blocks = body
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| b.to_block(i, Some(weekday)))
        .collect::<Result<Vec<_>, _>>()?;
    let p = state.desk.change_day(&staff, id, day, blocks).await?;
    Ok(web::Json(published(&state, p, false).await?))
}

/// Tom dag: remove the free slots of this date; booked ones remain and are listed.
#[utoipa::path(tag = "scheduling", operation_id = "emptyDay", security(("bearer" = [])),
    params(("practitioner_id" = Uuid, Path, description = "The practitioner"), ("date" = NaiveDate, Path, description = "The date (Stockholm)")),
    responses(
        (status = 200, description = "Emptied: `conflicts` are the bookings that remain", body = PublishResponse),
        (status = 422, description = "`invalid-date-range`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/practitioners/{practitioner_id}/days/{date}/empty")]
pub async fn empty_day(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<(Uuid, NaiveDate)>,
) -> Json<PublishResponse> {
    let (id, day) = practitioner_day(path);
    let p = state.desk.change_day(&staff, id, day, Vec::new()).await?;
    Ok(web::Json(published(&state, p, false).await?))
}

/// Undo a one-day change: the date follows the template again.
#[utoipa::path(tag = "scheduling", operation_id = "restoreDay", security(("bearer" = [])),
    params(("practitioner_id" = Uuid, Path, description = "The practitioner"), ("date" = NaiveDate, Path, description = "The date (Stockholm)")),
    responses(
        (status = 200, description = "Restored and republished", body = PublishResponse),
        (status = 404, description = "No one-day change on that date (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[delete("/practitioners/{practitioner_id}/days/{date}")]
pub async fn restore_day(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<(Uuid, NaiveDate)>,
) -> Json<PublishResponse> {
    let (id, day) = practitioner_day(path);
    let p = state.desk.restore_day(&staff, id, day).await?;
    Ok(web::Json(published(&state, p, false).await?))
}

/// How the unit's templates are published: whether on public holidays (rule 22).
#[utoipa::path(tag = "scheduling", operation_id = "getScheduleSettings", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses((status = 200, description = "The settings", body = ScheduleSettings)))]
#[get("/units/{unit_id}/schedule-settings")]
pub async fn schedule_settings(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<ScheduleSettings> {
    let on = state
        .desk
        .schedule_settings(&staff, UnitId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(ScheduleSettings {
        publish_on_holidays: on,
    }))
}

/// Choose whether the unit's templates publish on public holidays (unit
/// admins). Takes effect at the next publication.
#[utoipa::path(tag = "scheduling", operation_id = "putScheduleSettings", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    request_body = ScheduleSettings,
    responses((status = 200, description = "The settings", body = ScheduleSettings)))]
#[put("/units/{unit_id}/schedule-settings")]
pub async fn put_schedule_settings(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<ScheduleSettings>,
) -> Json<ScheduleSettings> {
    let on = state
        .desk
        .set_schedule_settings(&staff, UnitId::from_uuid(path.into_inner()), body.publish_on_holidays)
        .await?;
    Ok(web::Json(ScheduleSettings {
        publish_on_holidays: on,
    }))
}

/// Rule 6: how far each practitioner and type is scheduled; `short` flags a
/// unit whose schedule does not reach eight weeks.
#[utoipa::path(tag = "scheduling", operation_id = "unitHorizon", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses((status = 200, description = "The horizon report", body = HorizonResponse)))]
#[get("/units/{unit_id}/horizon")]
pub async fn horizon(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<HorizonResponse> {
    let report = state.desk.horizon(&staff, UnitId::from_uuid(path.into_inner())).await?;
    Ok(web::Json((&report).into()))
}

/// The horizon report of every unit of the region (regional admins).
#[utoipa::path(tag = "scheduling", operation_id = "regionHorizon", security(("bearer" = [])),
    params(("region_id" = Uuid, Path, description = "The region")),
    responses((status = 200, description = "One report per unit", body = [HorizonResponse])))]
#[get("/regions/{region_id}/horizon")]
pub async fn region_horizon(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<Vec<HorizonResponse>> {
    let reports = state
        .desk
        .region_horizon(&staff, RegionId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(reports.iter().map(Into::into).collect()))
}
