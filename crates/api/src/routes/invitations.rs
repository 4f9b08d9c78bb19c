//! Invitations to book (öppen kallelse, rule 19): staff invite and list; the
//! resident sees their open invitations, the dates and times one covers, and
//! books with it.

use super::staff::pnr;
use crate::caller::{ResidentCaller, StaffCaller};
use crate::dto::*;
use crate::dto_invitations::*;
use crate::extract::ApiJson;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{get, http::header, post, web, HttpResponse};
use tidbok_domain::time::local_date;
use tidbok_domain::usecases::InviteRequest as Invite;
use tidbok_domain::*;
use uuid::Uuid;

type Json<T> = Result<web::Json<T>, ApiError>;

/// Invite a resident to book one appointment type at the unit, at a time
/// inside a window of dates — even a type not otherwise bookable online
/// (rule 19). The resident is told by their channels and in the inbox; the
/// invitation is written to the access log.
#[utoipa::path(tag = "staff", operation_id = "inviteResident", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    request_body = InviteRequest,
    responses(
        (status = 201, description = "Invited", body = StaffInvitationResponse),
        (status = 422, description = "`validation-failed`, `appointment-type-not-usable` (unknown, retired, another region's or hidden) or `invalid-date-range`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/units/{unit_id}/invitations")]
pub async fn invite(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
    body: ApiJson<InviteRequest>,
) -> Result<HttpResponse, ApiError> {
    if body.valid_until < body.valid_from {
        return Err(ApiError::field(
            "valid_until",
            crate::problem::FieldCode::BeforeFrom,
            "must not lie before `valid_from`",
        ));
    }
    let request = Invite {
        pnr: pnr(&body.personal_identity_number, &state)?,
        appointment_type: AppointmentTypeId::from_uuid(body.appointment_type_id),
        valid_from: body.valid_from,
        valid_until: body.valid_until,
    };
    let made = state
        .desk
        .invite(&staff, UnitId::from_uuid(path.into_inner()), request)
        .await?;
    let today = local_date(state.clock.now());
    Ok(HttpResponse::Created().json(StaffInvitationResponse::new(&made, today)))
}

/// The unit's invitations, newest first: open, used (with the booking) and
/// expired. Each resident listed is written to the access log.
#[utoipa::path(tag = "staff", operation_id = "listUnitInvitations", security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit")),
    responses((status = 200, description = "The invitations", body = [StaffInvitationResponse])))]
#[get("/units/{unit_id}/invitations")]
pub async fn unit_invitations(
    state: web::Data<AppState>,
    StaffCaller(staff): StaffCaller,
    path: web::Path<Uuid>,
) -> Json<Vec<StaffInvitationResponse>> {
    let list = state
        .desk
        .invitations(&staff, UnitId::from_uuid(path.into_inner()))
        .await?;
    let today = local_date(state.clock.now());
    Ok(web::Json(
        list.iter().map(|i| StaffInvitationResponse::new(i, today)).collect(),
    ))
}

/// Your open invitations to book, the one ending first first.
#[utoipa::path(tag = "resident", operation_id = "listMyInvitations", security(("bearer" = [])),
    responses((status = 200, description = "Open invitations", body = [InvitationResponse])))]
#[get("/me/invitations")]
pub async fn my_invitations(state: web::Data<AppState>, caller: ResidentCaller) -> Json<Vec<InvitationResponse>> {
    let me = caller.resident();
    let list = caller.portal(&state).invitations(&me).await?;
    let today = local_date(state.clock.now());
    Ok(web::Json(
        list.iter().map(|i| InvitationResponse::new(i, today)).collect(),
    ))
}

/// One of your invitations, while it is open.
#[utoipa::path(tag = "resident", operation_id = "getMyInvitation", security(("bearer" = [])),
    params(("invitation_id" = Uuid, Path, description = "The invitation")),
    responses(
        (status = 200, description = "The invitation", body = InvitationResponse),
        (status = 404, description = "No such invitation of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invitation-used` (used or expired)", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/invitations/{invitation_id}")]
pub async fn my_invitation(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Json<InvitationResponse> {
    let me = caller.resident();
    let found = caller
        .portal(&state)
        .invitation(&me, InvitationId::from_uuid(path.into_inner()))
        .await?;
    Ok(web::Json(InvitationResponse::new(
        &found,
        local_date(state.clock.now()),
    )))
}

/// The dates with free slots your invitation covers (its type at its unit,
/// inside its window, from today), with how many, and the first of them.
#[utoipa::path(tag = "resident", operation_id = "listInvitationDates", security(("bearer" = [])),
    params(("invitation_id" = Uuid, Path, description = "The invitation"), DateRangeQuery),
    responses(
        (status = 200, description = "Dates with free slots", body = AvailableDatesResponse),
        (status = 404, description = "No such invitation of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invitation-used`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`outside-invitation`", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/invitations/{invitation_id}/available-dates")]
pub async fn invitation_dates(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
    query: web::Query<DateRangeQuery>,
) -> Json<AvailableDatesResponse> {
    let me = caller.resident();
    let dates = caller
        .portal(&state)
        .invitation_dates(&me, InvitationId::from_uuid(path.into_inner()), query.from, query.to)
        .await?;
    Ok(web::Json(dates.into()))
}

/// The free slots of one date your invitation covers.
#[utoipa::path(tag = "resident", operation_id = "listInvitationSlots", security(("bearer" = [])),
    params(("invitation_id" = Uuid, Path, description = "The invitation"), DateQuery),
    responses(
        (status = 200, description = "Free slots of the date", body = [SlotResponse]),
        (status = 404, description = "No such invitation of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invitation-used`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`outside-invitation`", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/invitations/{invitation_id}/slots")]
pub async fn invitation_slots(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
    query: web::Query<DateQuery>,
) -> Json<Vec<SlotResponse>> {
    let me = caller.resident();
    let slots = caller
        .portal(&state)
        .invitation_slots(&me, InvitationId::from_uuid(path.into_inner()), query.date)
        .await?;
    Ok(web::Json(slots.into_iter().map(Into::into).collect()))
}

/// Book a slot your invitation covers, with a reason for visit and the
/// unit's terms confirmed; the booking uses the invitation up. Every rule of
/// booking online applies except that the type need not be bookable online.
#[utoipa::path(tag = "resident", operation_id = "bookWithInvitation", security(("bearer" = [])),
    params(("invitation_id" = Uuid, Path, description = "The invitation")),
    request_body = BookRequest,
    responses(
        (status = 201, description = "Booked", body = BookingResponse,
            headers(("Location" = String, description = "The new booking"))),
        (status = 403, description = "The unit's book-online service is not active for you (`service-not-active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation of yours, or no such slot (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`slot-already-booked` or `invitation-used`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation-failed`, `terms-not-accepted`, `outside-invitation`, `not-eligible` or `booking-limit-reached`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/me/invitations/{invitation_id}/bookings")]
pub async fn book_invited(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
    body: ApiJson<BookRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.to_domain()?;
    let me = caller.recorded(&state).await?;
    let booking: BookingResponse = caller
        .portal(&state)
        .book_invited(&me, InvitationId::from_uuid(path.into_inner()), request)
        .await?
        .into();
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/me/bookings/{}", booking.id)))
        .json(booking))
}
