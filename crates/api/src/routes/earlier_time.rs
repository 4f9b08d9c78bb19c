//! An earlier time (återbudslista, rules 15 and 16): the resident's wish per
//! booking, their offers (accept, decline), the unit's waitlist counts and
//! the region's hold length.

use crate::caller::{ResidentCaller, StaffCaller};
use crate::dto::BookingResponse;
use crate::dto_waitlist::*;
use crate::extract::ApiJson;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{delete, get, post, put, web, HttpResponse};
use tidbok_domain::*;
use uuid::Uuid;

type Json<T> = Result<web::Json<T>, ApiError>;

/// Your wishes for an earlier time, one per booking, first asked first.
#[utoipa::path(tag = "resident", operation_id = "listMyEarlierTimes", security(("bearer" = [])),
    responses((status = 200, description = "Your waiting wishes", body = [EarlierTimeResponse])))]
#[get("/me/earlier-times")]
pub async fn my_earlier_times(state: web::Data<AppState>, caller: ResidentCaller) -> Json<Vec<EarlierTimeResponse>> {
    let me = caller.resident();
    let entries = caller.portal(&state).earlier_times(&me).await?;
    Ok(web::Json(entries.into_iter().map(Into::into).collect()))
}

/// The booking's wish for an earlier time, if you have asked for one.
#[utoipa::path(tag = "resident", operation_id = "getMyEarlierTime", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    responses(
        (status = 200, description = "The wish", body = EarlierTimeResponse),
        (status = 404, description = "No such booking of yours, or no wish for it (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/bookings/{booking_id}/earlier-time")]
pub async fn get_earlier_time(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Json<EarlierTimeResponse> {
    let me = caller.resident();
    let entry = caller
        .portal(&state)
        .earlier_time(&me, BookingId::from_uuid(path.into_inner()))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(entry.into()))
}

/// Ask for an earlier time for a booking you may rebook online (rule 15), or
/// change the wish (your place in the queue stays). When a slot of the same
/// type, length and practitioner frees up earlier than your booking, more
/// than 24 hours ahead and inside the horizon, it is offered to the
/// residents waiting, first asked first, and held for each in turn.
#[utoipa::path(tag = "resident", operation_id = "putMyEarlierTime", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    request_body = EarlierTimeRequest,
    responses(
        (status = 200, description = "Waiting", body = EarlierTimeResponse),
        (status = 403, description = "The unit's cancel/rebook service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such booking of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`booking-not-active`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation-failed`, `cancellation-window-closed` or `not-rebookable-online`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/validation-failed", "title": "The request has invalid fields", "status": 422, "detail": "One or more fields are invalid.", "errors": [{"field": "weekdays", "code": "range", "message": "weekdays are 1 (Monday) to 7 (Sunday)"}]})),
    ))]
#[put("/me/bookings/{booking_id}/earlier-time")]
pub async fn put_earlier_time(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
    body: ApiJson<EarlierTimeRequest>,
) -> Json<EarlierTimeResponse> {
    let wish = body.wish()?;
    let me = caller.recorded(&state).await?;
    let entry = caller
        .portal(&state)
        .ask_earlier_time(&me, BookingId::from_uuid(path.into_inner()), wish)
        .await?;
    Ok(web::Json(entry.into()))
}

/// Stop waiting for an earlier time for this booking; an offer you hold goes
/// to the next resident.
#[utoipa::path(tag = "resident", operation_id = "deleteMyEarlierTime", security(("bearer" = [])),
    params(("booking_id" = Uuid, Path, description = "The booking")),
    responses(
        (status = 204, description = "No longer waiting"),
        (status = 404, description = "No such booking of yours, or no wish for it (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[delete("/me/bookings/{booking_id}/earlier-time")]
pub async fn delete_earlier_time(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.resident();
    caller
        .portal(&state)
        .withdraw_earlier_time(&me, BookingId::from_uuid(path.into_inner()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Your open offers of an earlier time, the one that runs out first first.
#[utoipa::path(tag = "resident", operation_id = "listMyOffers", security(("bearer" = [])),
    responses((status = 200, description = "Open offers", body = [OfferResponse])))]
#[get("/me/offers")]
pub async fn my_offers(state: web::Data<AppState>, caller: ResidentCaller) -> Json<Vec<OfferResponse>> {
    let me = caller.resident();
    let offers = caller.portal(&state).offers(&me).await?;
    Ok(web::Json(offers.into_iter().map(Into::into).collect()))
}

/// Take the offered time: your booking moves to it in one step (the old
/// time is given back only once the new one is yours), under every rule of
/// an online rebooking.
#[utoipa::path(tag = "resident", operation_id = "acceptOffer", security(("bearer" = [])),
    params(("offer_id" = Uuid, Path, description = "The offer")),
    responses(
        (status = 200, description = "Rebooked: the new booking", body = BookingResponse),
        (status = 403, description = "The unit's cancel/rebook service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such offer of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`offer-gone` or `booking-not-active`", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "https://tidbok.se/problems/offer-gone", "title": "The offer is no longer open", "status": 409, "detail": "The offer is no longer open. Your booking is unchanged."})),
        (status = 422, description = "`cancellation-window-closed`, `not-rebookable-online` or `date-outside-horizon`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/me/offers/{offer_id}/accept")]
pub async fn accept_offer(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Json<BookingResponse> {
    let me = caller.resident();
    let booking = caller
        .portal(&state)
        .accept_offer(&me, HoldId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(booking.into()))
}

/// Decline the offered time: it goes to the next resident waiting. You keep
/// waiting for another earlier time.
#[utoipa::path(tag = "resident", operation_id = "declineOffer", security(("bearer" = [])),
    params(("offer_id" = Uuid, Path, description = "The offer")),
    responses(
        (status = 204, description = "Declined"),
        (status = 404, description = "No such offer of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`offer-gone`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/me/offers/{offer_id}/decline")]
pub async fn decline_offer(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.resident();
    caller
        .portal(&state)
        .decline_offer(&me, HoldId::from_uuid(path.into_inner()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// How many residents wait for an earlier time at the unit, per type and
/// practitioner, and how many hold an offer now (rule 15; no patient data).
#[utoipa::path(tag = "staff", operation_id = "unitWaitlist", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses((status = 200, description = "Counts per type and practitioner", body = [WaitlistCountResponse])))]
#[get("/units/{unit_id}/waitlist")]
pub async fn unit_waitlist(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<Vec<WaitlistCountResponse>> {
    let counts = state
        .desk
        .waitlist(&staff, UnitId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(counts.into_iter().map(Into::into).collect()))
}

/// How long an offer of an earlier time holds its slot (rule 16; regional admins).
#[utoipa::path(tag = "admin", operation_id = "getOfferHold", security(("bearer" = [])),
    responses((status = 200, description = "The hold's length", body = OfferHoldSettings)))]
#[get("/region/offer-hold")]
pub async fn get_offer_hold(state: web::Data<AppState>, StaffCaller(staff): StaffCaller) -> Json<OfferHoldSettings> {
    let minutes = state.admin.offer_hold_minutes(&staff).await?;
    Ok(web::Json(OfferHoldSettings { minutes }))
}

/// Set how long an offer holds its slot, 5 to 120 minutes (rule 16;
/// regional admins). Offers already made keep their hold.
#[utoipa::path(tag = "admin", operation_id = "putOfferHold", security(("bearer" = [])),
    request_body = OfferHoldSettings,
    responses((status = 200, description = "Changed", body = OfferHoldSettings)))]
#[put("/region/offer-hold")]
pub async fn put_offer_hold(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    body: ApiJson<OfferHoldSettings>,
) -> Json<OfferHoldSettings> {
    let minutes = body.checked()?;
    let minutes = state.admin.set_offer_hold_minutes(&staff, minutes).await?;
    Ok(web::Json(OfferHoldSettings { minutes }))
}
