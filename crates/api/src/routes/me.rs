//! The resident's inbox, notification settings and access log (loggutdrag).

use crate::caller::ResidentCaller;
use crate::dto_staff::*;
use crate::extract::ApiJson;
use crate::problem::{ApiError, FieldCode, Problem};
use crate::state::AppState;
use actix_web::{get, post, put, web};
use tidbok_domain::*;
use uuid::Uuid;

type Json<T> = Result<web::Json<T>, ApiError>;

/// Your messages (inkorg), newest first: confirmations and notices about your bookings.
#[utoipa::path(tag = "resident", operation_id = "listInbox", security(("bearer" = [])),
    responses((status = 200, description = "Messages", body = [InboxMessageResponse])))]
#[get("/me/inbox")]
pub async fn inbox(state: web::Data<AppState>, caller: ResidentCaller) -> Json<Vec<InboxMessageResponse>> {
    let me = caller.resident();
    Ok(web::Json(
        caller.portal(&state).inbox(&me).await?.iter().map(Into::into).collect(),
    ))
}

/// One of your messages.
#[utoipa::path(tag = "resident", operation_id = "getInboxMessage", security(("bearer" = [])),
    params(("message_id" = Uuid, Path, description = "The message")),
    responses(
        (status = 200, description = "The message", body = InboxMessageResponse),
        (status = 404, description = "No such message of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/inbox/{message_id}")]
pub async fn message(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Json<InboxMessageResponse> {
    let me = caller.resident();
    Ok(web::Json(
        (&caller.portal(&state).inbox_message(&me, path.into_inner()).await?).into(),
    ))
}

/// Mark a message as read.
#[utoipa::path(tag = "resident", operation_id = "markInboxMessageRead", security(("bearer" = [])),
    params(("message_id" = Uuid, Path, description = "The message")),
    responses(
        (status = 200, description = "Marked read", body = InboxMessageResponse),
        (status = 404, description = "No such message of yours (`not-found`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/me/inbox/{message_id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    path: web::Path<Uuid>,
) -> Json<InboxMessageResponse> {
    let me = caller.resident();
    Ok(web::Json(
        (&caller.portal(&state).mark_read(&me, path.into_inner()).await?).into(),
    ))
}

/// Your notification settings (avisering).
#[utoipa::path(tag = "resident", operation_id = "getNotificationSettings", security(("bearer" = [])),
    responses(
        (status = 200, description = "Settings", body = NotificationSettings),
        (status = 403, description = "`not-for-child`: settings are each person's own", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/me/notification-settings")]
pub async fn settings(caller: ResidentCaller) -> Json<NotificationSettings> {
    if caller.acts_for_child() {
        return Err(tidbok_domain::usecases::PortalError::NotForChild.into());
    }
    let me = caller.resident();
    Ok(web::Json((&me).into()))
}

/// Change where and how you are notified. A channel can be on only with an
/// address for it; the e-mail address and mobile number are checked.
#[utoipa::path(tag = "resident", operation_id = "updateNotificationSettings", security(("bearer" = [])),
    request_body = NotificationSettings,
    responses(
        (status = 200, description = "Saved", body = NotificationSettings),
        (status = 403, description = "`not-for-child`: settings are each person's own", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/me/notification-settings")]
pub async fn update_settings(
    state: web::Data<AppState>,
    caller: ResidentCaller,
    body: ApiJson<NotificationSettings>,
) -> Json<NotificationSettings> {
    if caller.acts_for_child() {
        return Err(tidbok_domain::usecases::PortalError::NotForChild.into());
    }
    crate::dto::validate(&*body)?;
    let nonblank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let phone = nonblank(&body.phone)
        .map(|p| PhoneNumber::parse(&p).map_err(|e| ApiError::field("phone", FieldCode::PhoneFormat, e.to_string())))
        .transpose()?;
    let email = nonblank(&body.email)
        .map(|e| EmailAddress::parse(&e).map_err(|e| ApiError::field("email", FieldCode::EmailFormat, e.to_string())))
        .transpose()?;
    let choices = NotificationChoices {
        sms: body.sms_enabled,
        email: body.email_enabled,
    };
    let me = caller.recorded(&state).await?;
    let reminders = NotificationChoices {
        sms: body.sms_reminders.unwrap_or(me.reminders.sms),
        email: body.email_reminders.unwrap_or(me.reminders.email),
    };
    let updated = caller
        .portal(&state)
        .update_contact(&me, phone, email, choices, reminders)
        .await?;
    Ok(web::Json((&updated).into()))
}

/// Loggutdrag: who at which unit read or changed your booking data, and when.
#[utoipa::path(tag = "resident", operation_id = "myAccessLog", security(("bearer" = [])),
    responses((status = 200, description = "Newest first", body = [MyAccessLogEntry])))]
#[get("/me/access-log")]
pub async fn access_log(state: web::Data<AppState>, caller: ResidentCaller) -> Json<Vec<MyAccessLogEntry>> {
    let me = caller.resident();
    let lines = caller.portal(&state).access_log(&me).await?;
    Ok(web::Json(
        lines
            .into_iter()
            .map(|(a, unit)| MyAccessLogEntry {
                at: a.at,
                unit,
                who: a.actor_name,
                role: a.actor_role.into(),
                action: a.action.into(),
                booking_id: a.booking_id.map(|b| b.as_uuid()),
            })
            .collect(),
    ))
}
