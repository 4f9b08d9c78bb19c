//! The resident's endpoints (the portal side): units and their services,
//! bookable types, available dates and slots, and the resident's own
//! bookings. Every one needs a resident's token; other roles get 403.

use crate::caller::ResidentCaller;
use crate::dto::*;
use crate::extract::ApiJson;
use crate::idempotency;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use tidbok_domain::ports::Committed;
use tidbok_domain::usecases::ResidentBooking;
use tidbok_domain::*;
use uuid::Uuid;

type Json<T> = Result<web::Json<T>, ApiError>;

/// Units with the online services set up for them, and the terms texts.
#[utoipa::path(tag = "resident", operation_id = "listUnits", security(("bearer" = [])),
    responses((status = 200, description = "Units offering online services", body = [UnitResponse])))]
#[get("/units")]
pub async fn list_units(state: web::Data<AppState>, caller: ResidentCaller) -> Json<Vec<UnitResponse>> {
    let me = caller.resident();
    let units = caller.portal(&state).units(&me).await?;
    Ok(web::Json(units.into_iter().map(Into::into).collect()))
}

/// One unit with its services and terms texts.
#[utoipa::path(tag = "resident", operation_id = "getUnit", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses(
        (status = 200, description = "The unit", body = UnitResponse),
        (status = 404, description = "No such unit (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/units/{unit_id}")]
pub async fn get_unit(state: web::Data<AppState>, caller: ResidentCaller, path: web::Path<Uuid>) -> Json<UnitResponse> {
    let me = caller.resident();
    let unit = caller
        .portal(&state)
        .unit(&me, UnitId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(unit.into()))
}

/// The appointment types you can book online at the unit (portal policy
/// `self_service`), each saying whether you are eligible (rule 13).
#[utoipa::path(tag = "resident", operation_id = "listBookableTypes", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses(
        (status = 200, description = "Types bookable online", body = [AppointmentTypeResponse]),
        (status = 403, description = "The unit's book-online service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/units/{unit_id}/appointment-types")]
pub async fn list_appointment_types(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Json<Vec<AppointmentTypeResponse>> {
    let me = caller.resident();
    let types = caller
        .portal(&state)
        .bookable_types(&me, UnitId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(types.into_iter().map(Into::into).collect()))
}

/// Dates with free slots of a type, with how many, over the eight-week
/// horizon (or `from`..`to` inside it), and the first free date to preselect.
#[utoipa::path(tag = "resident", operation_id = "getAvailableDates", security(("bearer" = [])),
    params(
        ("unit_id" = Uuid, Path, description = "The unit"),
        ("type_id" = Uuid, Path, description = "The appointment type"),
        DateRangeQuery,
    ),
    responses(
        (status = 200, description = "Dates with free slots", body = AvailableDatesResponse),
        (status = 403, description = "The unit's book-online service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit or type (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`date-outside-horizon`, `not-bookable-online` or `not-eligible`", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/units/{unit_id}/appointment-types/{type_id}/available-dates")]
pub async fn available_dates(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DateRangeQuery>,
) -> Json<AvailableDatesResponse> {
    let me = caller.resident();
    let (unit, ty) = path.into_inner();
    let dates = caller
        .portal(&state)
        .available_dates(
            &me,
            UnitId::from_uuid(unit),
            AppointmentTypeId::from_uuid(ty),
            query.from,
            query.to,
        )
        .await?;
    Ok(web::Json(dates.into()))
}

/// The free slots of a type on one date, by start time.
#[utoipa::path(tag = "resident", operation_id = "listFreeSlots", security(("bearer" = [])),
    params(
        ("unit_id" = Uuid, Path, description = "The unit"),
        ("type_id" = Uuid, Path, description = "The appointment type"),
        DateQuery,
    ),
    responses(
        (status = 200, description = "Free slots of the date", body = [SlotResponse]),
        (status = 403, description = "The unit's book-online service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit or type (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`date-outside-horizon`, `not-bookable-online` or `not-eligible`", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/units/{unit_id}/appointment-types/{type_id}/slots")]
pub async fn free_slots(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DateQuery>,
) -> Json<Vec<SlotResponse>> {
    let me = caller.resident();
    let (unit, ty) = path.into_inner();
    let slots = caller
        .portal(&state)
        .free_slots(
            &me,
            UnitId::from_uuid(unit),
            AppointmentTypeId::from_uuid(ty),
            query.date,
        )
        .await?;
    Ok(web::Json(slots.into_iter().map(Into::into).collect()))
}

fn created(committed: Committed<ResidentBooking>) -> HttpResponse {
    let replayed = committed.is_replay();
    let booking: BookingResponse = match committed {
        Committed::Created(b) | Committed::Replayed(b) => b.into(),
    };
    let location = format!("/api/v1/me/bookings/{}", booking.id);
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, location));
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    response.json(booking)
}

/// Book a free slot. Needs the unit's book-online service, a `self_service`
/// type you are eligible for, a reason for visit and the terms accepted. With
/// an `Idempotency-Key`, a retry returns the first booking (marked
/// `Idempotent-Replayed: true`) instead of a second one or a conflict.
#[utoipa::path(tag = "resident", operation_id = "book", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string (a UUID) to make retries safe; at most 255 visible ASCII characters",
        pattern = "^[!-~]{1,255}$", example = "5b0e4b1c-2f7e-4c55-9d39-0c1f8a3e7a11")),
    request_body = BookRequest,
    responses(
        (status = 201, description = "Booked", body = BookingResponse,
            headers(("Location" = String, description = "The new booking"), ("Idempotent-Replayed" = String, description = "`true` when this is the stored result of an earlier request with the same key"))),
        (status = 403, description = "The unit's book-online service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such slot (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`slot-already-booked`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/slot-already-booked", "title": "The slot is already booked", "status": 409, "detail": "Someone else booked this slot first. Pick another slot."})),
        (status = 422, description = "`validation-failed`, `terms-not-accepted`, `not-bookable-online`, `not-eligible`, `date-outside-horizon` or `idempotency-key-reused`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/terms-not-accepted", "title": "The terms must be accepted", "status": 422, "detail": "Confirm that you have read the unit's terms before booking."})),
    ))]
#[post("/me/bookings")]
pub async fn book(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ResidentCaller,
    body: ApiJson<BookRequest>,
) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let key = idempotency::key(&req, &*body)?;
    let request = body.to_domain()?;
    // A resident is recorded at their first write, never by a read.
    let me = caller.recorded(&state).await?;
    state.limits.booking(req.peer_addr().map(|a| a.ip()), me.id)?;
    let committed = caller.portal(&state).book(&me, request, key.as_ref()).await?;
    Ok(created(committed))
}

/// Your upcoming bookings from every unit, booked online or by staff (rule 1),
/// each saying whether you can cancel or rebook it online, and if not, why.
#[utoipa::path(tag = "resident", operation_id = "listMyBookings", security(("bearer" = [])),
    responses((status = 200, description = "Your upcoming bookings, by start", body = [BookingResponse])))]
#[get("/me/bookings")]
pub async fn my_bookings(state: web::Data<AppState>, caller: ResidentCaller) -> Json<Vec<BookingResponse>> {
    let me = caller.resident();
    let bookings = caller.portal(&state).my_bookings(&me).await?;
    Ok(web::Json(bookings.into_iter().map(Into::into).collect()))
}

/// One of your bookings, in any status.
#[utoipa::path(tag = "resident", operation_id = "getMyBooking", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    responses(
        (status = 200, description = "The booking", body = BookingResponse),
        (status = 404, description = "No such booking of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/bookings/{booking_id}")]
pub async fn my_booking(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Json<BookingResponse> {
    let me = caller.resident();
    let booking = caller
        .portal(&state)
        .my_booking(&me, BookingId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(booking.into()))
}

/// One of your bookings as a calendar file (iCalendar, RFC 5545; rule 18):
/// the same event through every rebooking (its `UID` stays, its `SEQUENCE`
/// rises), and a cancellation (`METHOD:CANCEL`) once it is cancelled, moved
/// or void. Never the reason for visit or the message.
#[utoipa::path(tag = "resident", operation_id = "getMyBookingCalendarFile", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    responses(
        (status = 200, description = "The calendar file", content_type = "text/calendar", body = String),
        (status = 404, description = "No such booking of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/bookings/{booking_id}/calendar")]
pub async fn my_booking_calendar(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.resident();
    let file = caller
        .portal(&state)
        .calendar_file(&me, BookingId::from_uuid(path.into_inner()))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"tid.ics\""))
        .body(file))
}

/// Cancel a booking online, with a reason (rules 2, 4, 7, 8). Closed from 24
/// hours before the start.
#[utoipa::path(tag = "resident", operation_id = "cancelMyBooking", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    request_body = CancelRequest,
    responses(
        (status = 200, description = "Cancelled", body = BookingResponse),
        (status = 403, description = "The unit's cancel/rebook service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such booking of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`booking-not-active`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation-failed`, `cancellation-window-closed` or `not-cancelable-online`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/cancellation-window-closed", "title": "Too late to change the booking online", "status": 422, "detail": "Less than 24 hours remain before the appointment. Please call the unit."})),
    ))]
#[post("/me/bookings/{booking_id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
    body: ApiJson<CancelRequest>,
) -> Json<BookingResponse> {
    let me = caller.resident();
    validate(&*body)?;
    let reason = text_field("reason", CancellationReason::parse(&body.reason))?;
    let booking = caller
        .portal(&state)
        .cancel(&me, BookingId::from_uuid(path.into_inner()), reason)
        .await?;
    Ok(web::Json(booking.into()))
}

/// Free slots your booking can be moved to: same type, length and
/// practitioner (rule 5), over the horizon or `from`..`to`.
#[utoipa::path(tag = "resident", operation_id = "listRebookTargets", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking"), DateRangeQuery),
    responses(
        (status = 200, description = "Slots the booking may move to", body = [SlotResponse]),
        (status = 403, description = "The unit's cancel/rebook service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such booking of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`booking-not-active`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`cancellation-window-closed`, `not-rebookable-online` or `date-outside-horizon`", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/bookings/{booking_id}/rebook-targets")]
pub async fn rebook_targets(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
    query: web::Query<DateRangeQuery>,
) -> Json<Vec<SlotResponse>> {
    let me = caller.resident();
    let slots = caller
        .portal(&state)
        .rebook_targets(&me, BookingId::from_uuid(path.into_inner()), query.from, query.to)
        .await?;
    Ok(web::Json(slots.into_iter().map(Into::into).collect()))
}

/// The dates your booking can be moved to, with the number of free target
/// slots on each and the first of them (for the same calendar as booking;
/// then `rebook-targets?from=D&to=D` gives one date's times).
#[utoipa::path(tag = "resident", operation_id = "listRebookDates", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking"), DateRangeQuery),
    responses(
        (status = 200, description = "Dates with rebook targets", body = AvailableDatesResponse),
        (status = 403, description = "The unit's cancel/rebook service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such booking of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`booking-not-active`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`cancellation-window-closed`, `not-rebookable-online` or `date-outside-horizon`", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/bookings/{booking_id}/rebook-dates")]
pub async fn rebook_dates(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
    query: web::Query<DateRangeQuery>,
) -> Json<AvailableDatesResponse> {
    let me = caller.resident();
    let dates = caller
        .portal(&state)
        .rebook_dates(&me, BookingId::from_uuid(path.into_inner()), query.from, query.to)
        .await?;
    Ok(web::Json(dates.into()))
}

/// Move a booking to another slot in one step: the old slot is released only
/// if the new one was taken. Answers with the new booking, which links back
/// (`rebooked_from`). Supports `Idempotency-Key` like booking.
#[utoipa::path(tag = "resident", operation_id = "rebookMyBooking", security(("bearer" = [])),
    params(
        ("booking_id" = Uuid, Path, description = "The booking to move"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique string (a UUID) to make retries safe; at most 255 visible ASCII characters",
            pattern = "^[!-~]{1,255}$", example = "5b0e4b1c-2f7e-4c55-9d39-0c1f8a3e7a11"),
    ),
    request_body = RebookRequest,
    responses(
        (status = 201, description = "Rebooked: the new booking", body = BookingResponse,
            headers(("Location" = String, description = "The new booking"), ("Idempotent-Replayed" = String, description = "`true` for a replayed result"))),
        (status = 403, description = "The unit's cancel/rebook service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such booking of yours, or no such slot (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`slot-already-booked` or `booking-not-active`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`rebook-mismatch`, `cancellation-window-closed`, `not-rebookable-online`, `date-outside-horizon` or `idempotency-key-reused`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/rebook-mismatch", "title": "The slot is not a valid rebooking target", "status": 422, "detail": "The slot cannot be a rebooking target: the target slot has another length.", "mismatch": "length"})),
    ))]
#[post("/me/bookings/{booking_id}/rebook")]
pub async fn rebook(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
    body: ApiJson<RebookRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.resident();
    let booking = path.into_inner();
    let key = idempotency::key(&req, &(booking, &*body))?;
    state.limits.booking(req.peer_addr().map(|a| a.ip()), me.id)?;
    let committed = caller
        .portal(&state)
        .rebook(
            &me,
            BookingId::from_uuid(booking),
            SlotId::from_uuid(body.slot_id),
            key.as_ref(),
        )
        .await?;
    Ok(created(committed))
}
