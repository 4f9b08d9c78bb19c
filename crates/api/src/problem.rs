//! Every error the API answers, as RFC 9457 `application/problem+json` with a
//! stable `type` per problem. [`ProblemType`] is the catalogue:
//! `docs/problems.md` is generated from it (a test checks), and so are the
//! problem responses in the OpenAPI contract.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use std::fmt;
use tidbok_domain::ports::StoreError;
use tidbok_domain::rules::{Ineligibility, OnlineRefusal, RebookMismatch};
use tidbok_domain::usecases::PortalError;
use utoipa::ToSchema;

/// Where problem types live. The URI is an identifier to compare, not a page
/// the client must fetch.
pub const PROBLEM_BASE: &str = "https://tidbok.se/problems/";

macro_rules! problems {
    ($($variant:ident = $slug:literal, $status:ident, $title:literal, $description:literal;)+) => {
        /// The stable problem types of the API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ProblemType { $($variant),+ }

        impl ProblemType {
            pub const ALL: &'static [ProblemType] = &[$(ProblemType::$variant),+];

            pub fn slug(&self) -> &'static str {
                match self { $(ProblemType::$variant => $slug),+ }
            }

            pub fn status(&self) -> StatusCode {
                match self { $(ProblemType::$variant => StatusCode::$status),+ }
            }

            pub fn title(&self) -> &'static str {
                match self { $(ProblemType::$variant => $title),+ }
            }

            /// When a client gets it and what to do, for `docs/problems.md`.
            pub fn description(&self) -> &'static str {
                match self { $(ProblemType::$variant => $description),+ }
            }
        }
    };
}

problems! {
    ValidationFailed = "validation-failed", UNPROCESSABLE_ENTITY, "The request has invalid fields",
        "A field is missing, too long, of the wrong type or not allowed. `errors` lists each field with a `code` and a message; fix them and send again.";
    MalformedRequest = "malformed-request", BAD_REQUEST, "The request could not be read",
        "The body is not valid JSON, or a query parameter or header could not be parsed (for example a date that is not `YYYY-MM-DD`).";
    UnsupportedMediaType = "unsupported-media-type", UNSUPPORTED_MEDIA_TYPE, "The body must be JSON",
        "A request with a body must send `Content-Type: application/json`.";
    PayloadTooLarge = "payload-too-large", PAYLOAD_TOO_LARGE, "The request body is too large",
        "Bodies are limited to 16 KiB.";
    NotFound = "not-found", NOT_FOUND, "Not found",
        "No such resource, or not one the caller may see. A resident asking for another resident's booking gets this too, so ids reveal nothing.";
    MethodNotAllowed = "method-not-allowed", METHOD_NOT_ALLOWED, "Method not allowed",
        "The path exists but not with this HTTP method; the `Allow` header lists the methods it has.";
    Unauthorized = "unauthorized", UNAUTHORIZED, "Authentication required",
        "No bearer token, or one that is not valid: wrong signature or algorithm, expired, not yet valid, wrong issuer or audience. Log in again.";
    Forbidden = "forbidden", FORBIDDEN, "Not allowed for this role",
        "The token is valid but its role or units do not allow this request.";
    SlotAlreadyBooked = "slot-already-booked", CONFLICT, "The slot is already booked",
        "Someone else booked the slot first (or it has started). Pick another slot; nothing was booked.";
    BookingNotActive = "booking-not-active", CONFLICT, "The booking is no longer booked",
        "The booking was cancelled, rebooked or marked arrived in the meantime. Reload it.";
    CancellationWindowClosed = "cancellation-window-closed", UNPROCESSABLE_ENTITY, "Too late to change the booking online",
        "Online cancel and rebook close 24 hours before the booked start (rule 2). The resident must call the unit.";
    RebookMismatch = "rebook-mismatch", UNPROCESSABLE_ENTITY, "The slot is not a valid rebooking target",
        "A booking can only be moved to a slot of exactly the same type, length and practitioner at the same unit (rule 5). `mismatch` says which differs.";
    NotBookableOnline = "not-bookable-online", UNPROCESSABLE_ENTITY, "This type cannot be booked online",
        "Only types with portal policy `self_service` can be booked online (rule 7).";
    NotCancelableOnline = "not-cancelable-online", UNPROCESSABLE_ENTITY, "This booking cannot be cancelled online",
        "The type's portal policy is `visible`: the booking is shown but only the unit can cancel it (rule 7).";
    NotRebookableOnline = "not-rebookable-online", UNPROCESSABLE_ENTITY, "This booking cannot be rebooked online",
        "The unit does not allow online rebooking of this booking (policy `cancelable` or `visible`, rule 7). Contact the unit to rebook.";
    ServiceNotActive = "service-not-active", FORBIDDEN, "The unit's online service is not active for you",
        "The unit has not set up or activated the service (book online, or cancel/rebook online), or it is open only to a restricted selection of residents (rule 8). `service` names it.";
    TermsNotAccepted = "terms-not-accepted", UNPROCESSABLE_ENTITY, "The terms must be accepted",
        "Booking online needs `terms_accepted: true`: the resident has read the unit's terms text (rule 9).";
    NotEligible = "not-eligible", UNPROCESSABLE_ENTITY, "You cannot book this type online",
        "The type has an age limit or is only for residents with an established contact (rule 13). `reason` is `below_minimum_age` or `established_contact_required`; the resident should call the unit.";
    DateOutsideHorizon = "date-outside-horizon", UNPROCESSABLE_ENTITY, "The date is outside the booking horizon",
        "Residents see and book slots from now to eight weeks ahead (rule 6); `horizon_first` and `horizon_last` give the range.";
    StartsInPast = "starts-in-past", UNPROCESSABLE_ENTITY, "The time has already started",
        "Staff cannot book a resident into a slot or an ad-hoc time that has already started, nor move a booking into one (rule 20). Pick a time ahead; to record a visit that has already taken place, send `record_after_the_fact: true` — it notifies no one and is written to the access log.";
    TimeCollides = "time-collides", CONFLICT, "The time collides with another booking",
        "An ad-hoc booking overlaps an active booking of the same practitioner. Pick another time; nothing was booked.";
    TemplateOverlap = "template-overlap", UNPROCESSABLE_ENTITY, "Two template blocks overlap",
        "Blocks of one practitioner may not share a minute on the same weekday. `first` and `second` are the indexes of the two blocks in the request.";
    InvalidDateRange = "invalid-date-range", UNPROCESSABLE_ENTITY, "The date range is not allowed",
        "Book views cover 1 to 31 days; publishing starts today at the earliest and covers at most 400 days; one-day changes are for today or later.";
    AppointmentTypeNotUsable = "appointment-type-not-usable", UNPROCESSABLE_ENTITY, "The appointment type cannot be used here",
        "The type is retired, unknown, or belongs to another region's catalogue.";
    DuplicateName = "duplicate-name", CONFLICT, "The name is taken",
        "Another appointment type of the region already has this name.";
    ServiceNotSetUp = "service-not-set-up", CONFLICT, "The service is not set up for the unit",
        "A regional admin must set the service up for the unit before its terms, activation or selection can be changed.";
    InvalidSelection = "invalid-selection", UNPROCESSABLE_ENTITY, "Some lines are not personal identity numbers",
        "`lines` lists each invalid line of the CSV with its number and why. Nothing was imported; fix the lines and import again.";
    InvalidRegister = "invalid-register", UNPROCESSABLE_ENTITY, "Some lines of the register file do not read",
        "`lines` lists each line that does not read with its number, a stable `code` (`invalid_guardian_number`, `invalid_child_number`, `invalid_child_name`, `same_person`) and why; a file without a single guardianship has none listed. Nothing was loaded; fix the file and load it again.";
    BookingLimitReached = "booking-limit-reached", UNPROCESSABLE_ENTITY, "You already hold the most bookings of this type",
        "A resident may hold only so many booked future slots of one appointment type (`max`, set per installation) — the cap that keeps a booking rush fair. Cancel one, or call the unit.";
    InvitationUsed = "invitation-used", CONFLICT, "The invitation is used or has expired",
        "An invitation to book (rule 19) makes one booking, and only until its window's last day. It has been used, or the window has ended; contact the unit.";
    OutsideInvitation = "outside-invitation", UNPROCESSABLE_ENTITY, "The invitation does not cover this",
        "An invitation covers one appointment type at one unit, on the dates of its window (`valid_from` to `valid_until`). Pick a slot or date it covers.";
    GuardianAccessEnded = "guardian-access-ended", FORBIDDEN, "You no longer act for this child",
        "A guardian acts for their child (the `Tidbok-Acting-For` header) only until the child's birthday at the region's age limit (rule 17; 13 unless the region sets another), given in `access_ended_on`. From then on the child books with their own e-ID.";
    NotForChild = "not-for-child", FORBIDDEN, "This is not done for a child",
        "Notification settings are each person's own: send the request without the `Tidbok-Acting-For` header to change your own. Messages about your child's bookings go to your channels.";
    OfferGone = "offer-gone", CONFLICT, "The offer is no longer open",
        "The offer of an earlier time was accepted or declined already, its hold ran out (rule 16), or its time was taken away. Your booking is unchanged; you keep waiting for another earlier time.";
    IdempotencyKeyReused = "idempotency-key-reused", UNPROCESSABLE_ENTITY, "The idempotency key was used for another request",
        "An `Idempotency-Key` is bound to the first request sent with it. Use a new key for a new request.";
    RateLimited = "rate-limited", TOO_MANY_REQUESTS, "Too many requests",
        "The caller sent too many requests of this kind. Wait the number of seconds in `Retry-After`.";
    ServiceUnavailable = "service-unavailable", SERVICE_UNAVAILABLE, "Temporarily unavailable",
        "The database cannot be reached right now. Nothing was changed; try again shortly (`Retry-After`).";
    InternalError = "internal-error", INTERNAL_SERVER_ERROR, "Something went wrong",
        "An unexpected error. Nothing about it is in the response; the server's log has the cause under the request id.";
}

impl ProblemType {
    pub fn uri(&self) -> String {
        format!("{PROBLEM_BASE}{}", self.slug())
    }
}

/// A problem response body (RFC 9457). Some problems carry extension members
/// (see `docs/problems.md`): `service` (service-not-active), `reason` and
/// `min_age_years` (not-eligible), `mismatch` (rebook-mismatch), `first` and
/// `second` (template-overlap), `lines` (invalid-selection).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://tidbok.se/problems/slot-already-booked",
    "title": "The slot is already booked",
    "status": 409,
    "detail": "Someone else booked this slot first. Pick another slot."
}))]
pub struct Problem {
    /// Stable identifier of the problem; see `docs/problems.md`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field errors of a `validation-failed` problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extension members of some problems, beside the ones above: `service`
    /// (service-not-active), `reason` and `min_age_years` (not-eligible),
    /// `mismatch` (rebook-mismatch), `first` and `second` (template-overlap),
    /// `lines` (invalid-selection). Clients must ignore members they do not know.
    #[serde(flatten)]
    #[schema(ignore)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

macro_rules! field_codes {
    ($($variant:ident = $code:literal, $description:literal;)+) => {
        /// Why a field is invalid: a stable code per kind of mistake, for
        /// clients to show their own text (the web app translates each one).
        /// `message` beside it is English, for developers.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FieldCode { $($variant),+ }

        impl FieldCode {
            pub const ALL: &'static [FieldCode] = &[$(FieldCode::$variant),+];

            pub fn code(&self) -> &'static str {
                match self { $(FieldCode::$variant => $code),+ }
            }

            /// When a client gets it, for `docs/problems.md`.
            pub fn description(&self) -> &'static str {
                match self { $(FieldCode::$variant => $description),+ }
            }
        }
    };
}

field_codes! {
    Required = "required", "The field is missing, or another choice needs it (an e-mail address for e-mail notifications).";
    Blank = "blank", "The text is empty or only spaces.";
    Length = "length", "The text is too long (or too short); the message gives the limits.";
    Range = "range", "The number is outside its allowed range; the message gives the limits.";
    ControlCharacter = "control_character", "The text contains control characters (line breaks and tabs are allowed).";
    Invalid = "invalid", "The value has the wrong type or form (for example an id that is not a UUID).";
    UnknownField = "unknown_field", "The body has a field the operation does not take (fields such as `status` or `resident_id` cannot be set by clients).";
    OneOf = "one_of", "Exactly one of two fields must be given (`slot_id` or `ad_hoc`).";
    Unknown = "unknown", "No such choice (a dev-login persona that does not exist).";
    PnrFormat = "pnr_format", "Not a personal identity number: 10 or 12 digits, optionally with `-` or `+` before the last four.";
    PnrDate = "pnr_date", "The personal identity number's date of birth is not a calendar date.";
    PnrCheckDigit = "pnr_check_digit", "The personal identity number's check digit does not match (a typing mistake).";
    PnrBornInFuture = "pnr_born_in_future", "The personal identity number's date of birth lies in the future.";
    PnrSeparator = "pnr_separator", "`+` is only for people aged 100 or more.";
    PhoneFormat = "phone_format", "Not a mobile number: 07x-xxx xx xx, or + and a country code.";
    EmailFormat = "email_format", "Not an e-mail address.";
    TimeFormat = "time_format", "Not a time of day as HH:MM.";
    SlotLength = "slot_length", "A template block's slot length is outside 5–480 minutes.";
    SlotCount = "slot_count", "A template block holds fewer than 1 or more than 96 slots.";
    PastMidnight = "past_midnight", "A template block ends after midnight.";
    BeforeFrom = "before_from", "The end date (`to`) lies before the start date (`from`).";
    NotStarted = "not_started", "`record_after_the_fact` is only for a time that has already started; book a time ahead without it.";
    Duplicate = "duplicate", "Two entries of a list are the same (two reminders at one offset).";
    ReminderAhead = "reminder_ahead", "A reminder only for bookings made early must ask for at least its own offset ahead (`only_if_booked_hours_ahead` ≥ `hours_before`).";
}

impl Serialize for FieldCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// The contract lists every code, as sent.
impl utoipa::PartialSchema for FieldCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "Why a field is invalid: a stable code per kind of mistake (see docs/problems.md), \
                 for clients to show their own text.",
            ))
            .enum_values(Some(FieldCode::ALL.iter().map(|c| c.code())))
            .into()
    }
}

impl ToSchema for FieldCode {
    fn name() -> std::borrow::Cow<'static, str> {
        "FieldCode".into()
    }
}

impl FieldCode {
    /// The code of a `validator` failure.
    pub fn of_validator(code: &str) -> Self {
        match code {
            "length" => FieldCode::Length,
            "range" => FieldCode::Range,
            _ => FieldCode::Invalid,
        }
    }
}

impl From<tidbok_domain::PnrError> for FieldCode {
    fn from(e: tidbok_domain::PnrError) -> Self {
        use tidbok_domain::PnrError as E;
        match e {
            E::Format => FieldCode::PnrFormat,
            E::Date => FieldCode::PnrDate,
            E::CheckDigit => FieldCode::PnrCheckDigit,
            E::BornInFuture => FieldCode::PnrBornInFuture,
            E::Separator => FieldCode::PnrSeparator,
        }
    }
}

impl From<tidbok_domain::schedule::BlockError> for FieldCode {
    fn from(e: tidbok_domain::schedule::BlockError) -> Self {
        use tidbok_domain::schedule::BlockError as E;
        match e {
            E::SlotLength => FieldCode::SlotLength,
            E::Count => FieldCode::SlotCount,
            E::PastMidnight => FieldCode::PastMidnight,
        }
    }
}

/// One invalid field.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"field": "personal_identity_number", "code": "pnr_check_digit", "message": "the check digit does not match"}))]
pub struct FieldError {
    /// The field's name as sent (`reason_for_visit`), or a header's name.
    pub field: String,
    pub code: FieldCode,
    /// English, for developers; people are shown a text chosen by `code`.
    pub message: String,
}

/// The error type of every handler (boxed: handlers return it often and it
/// should stay one pointer wide).
pub struct ApiError(Box<Inner>);

struct Inner {
    kind: ProblemType,
    detail: Option<String>,
    errors: Vec<FieldError>,
    extensions: serde_json::Map<String, serde_json::Value>,
    retry_after: Option<u64>,
    allow: Option<String>,
    /// The cause, for the log only.
    source: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(kind: ProblemType) -> Self {
        Self(Box::new(Inner {
            kind,
            detail: None,
            errors: Vec::new(),
            extensions: serde_json::Map::new(),
            retry_after: None,
            allow: None,
            source: None,
        }))
    }

    pub fn kind(&self) -> ProblemType {
        self.0.kind
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.0.extensions.insert(key.to_owned(), value.into());
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.0.retry_after = Some(seconds.max(1));
        self
    }

    pub fn allow(mut self, methods: String) -> Self {
        self.0.allow = Some(methods);
        self
    }

    pub fn caused_by(mut self, source: impl Into<anyhow::Error>) -> Self {
        self.0.source = Some(source.into());
        self
    }

    pub fn field_errors(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(ProblemType::ValidationFailed).detail("One or more fields are invalid.");
        e.0.errors = errors;
        e
    }

    pub fn field(field: &str, code: FieldCode, message: impl Into<String>) -> Self {
        Self::field_errors(vec![FieldError {
            field: field.into(),
            code,
            message: message.into(),
        }])
    }

    pub fn not_found() -> Self {
        Self::new(ProblemType::NotFound)
    }

    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        Self::new(ProblemType::InternalError).caused_by(source)
    }

    pub fn body(&self) -> Problem {
        Problem {
            type_uri: self.0.kind.uri(),
            title: self.0.kind.title().to_owned(),
            status: self.0.kind.status().as_u16(),
            detail: self.0.detail.clone(),
            errors: self.0.errors.clone(),
            extensions: self.0.extensions.clone(),
        }
    }
}

/// What the request middleware logs of a refused request: the problem type
/// and the names and codes of invalid fields. Never the detail or field
/// messages, which may quote the input back (`unknown variant \`…\``), and
/// which the client already has in the response.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<String> = self
            .0
            .errors
            .iter()
            .map(|e| format!("{}:{}", e.field, e.code.code()))
            .collect();
        f.debug_struct("ApiError")
            .field("problem", &self.0.kind.slug())
            .field("fields", &fields)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.kind.slug())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.kind.status()
    }

    fn error_response(&self) -> HttpResponse {
        if self.0.kind.status().is_server_error() {
            // The cause chain goes to the log, never to the client. Store
            // errors carry no personal data (they hold SQL errors, not rows).
            match &self.0.source {
                Some(source) => tracing::error!(
                    problem = self.0.kind.slug(),
                    error = format!("{source:#}"),
                    "request failed"
                ),
                None => tracing::error!(problem = self.0.kind.slug(), "request failed"),
            }
        } else {
            tracing::info!(problem = self.0.kind.slug(), "request refused");
        }
        let mut response = HttpResponse::build(self.0.kind.status());
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let Some(seconds) = self.0.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if let Some(allow) = &self.0.allow {
            response.insert_header((header::ALLOW, allow.clone()));
        }
        if self.0.kind == ProblemType::Unauthorized {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.body(serde_json::to_string(&self.body()).unwrap_or_default())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(_) => ApiError::new(ProblemType::ServiceUnavailable)
                .retry_after(2)
                .caused_by(e),
            StoreError::Conflict(c) => ApiError::new(ProblemType::InternalError).caused_by(c),
            StoreError::Other(_) => ApiError::internal(e),
        }
    }
}

impl From<OnlineRefusal> for ApiError {
    fn from(r: OnlineRefusal) -> Self {
        match r {
            OnlineRefusal::BookingNotActive => {
                ApiError::new(ProblemType::BookingNotActive).detail("The booking is no longer booked.")
            }
            OnlineRefusal::NotCancelableOnline => ApiError::new(ProblemType::NotCancelableOnline)
                .detail("This booking can only be cancelled by the unit. Please contact them."),
            OnlineRefusal::NotRebookableOnline => ApiError::new(ProblemType::NotRebookableOnline)
                .detail("The unit does not allow online rebooking of this booking. Please contact them to rebook."),
            OnlineRefusal::ServiceNotActive => ApiError::new(ProblemType::ServiceNotActive)
                .detail("The unit's cancel/rebook online service is not active for you.")
                .with("service", "cancel_rebook_online"),
            OnlineRefusal::CancellationWindowClosed => ApiError::new(ProblemType::CancellationWindowClosed)
                .detail("Less than 24 hours remain before the appointment. Please call the unit."),
        }
    }
}

pub fn ineligibility_code(i: &Ineligibility) -> &'static str {
    match i {
        Ineligibility::BelowMinimumAge { .. } => "below_minimum_age",
        Ineligibility::EstablishedContactRequired => "established_contact_required",
    }
}

pub fn mismatch_code(m: &RebookMismatch) -> &'static str {
    match m {
        RebookMismatch::SameSlot => "same_slot",
        RebookMismatch::Unit => "unit",
        RebookMismatch::Practitioner => "practitioner",
        RebookMismatch::AppointmentType => "appointment_type",
        RebookMismatch::Length => "length",
    }
}

impl From<PortalError> for ApiError {
    fn from(e: PortalError) -> Self {
        match e {
            PortalError::NotFound => ApiError::not_found(),
            PortalError::OutsideHorizon => ApiError::new(ProblemType::DateOutsideHorizon)
                .detail("Slots can be seen and booked up to eight weeks ahead."),
            PortalError::SlotTaken => ApiError::new(ProblemType::SlotAlreadyBooked)
                .detail("Someone else booked this slot first. Pick another slot."),
            PortalError::NotBookableOnline => ApiError::new(ProblemType::NotBookableOnline)
                .detail("This appointment type cannot be booked online. Please contact the unit."),
            PortalError::Refused(r) => r.into(),
            PortalError::ServiceNotActive(service) => ApiError::new(ProblemType::ServiceNotActive)
                .detail("The unit's online service is not active for you.")
                .with("service", service.as_str()),
            PortalError::TermsNotAccepted(_) => ApiError::new(ProblemType::TermsNotAccepted)
                .detail("Confirm that you have read the unit's terms before booking."),
            PortalError::NotEligible(i) => {
                let detail = match i {
                    Ineligibility::BelowMinimumAge { min_age_years } => {
                        format!("This type is for residents aged {min_age_years} or older. Please call the unit.")
                    }
                    Ineligibility::EstablishedContactRequired => {
                        "This type is for residents with an established contact. Please call the unit.".to_owned()
                    }
                };
                let e = ApiError::new(ProblemType::NotEligible)
                    .detail(detail)
                    .with("reason", ineligibility_code(&i));
                match i {
                    Ineligibility::BelowMinimumAge { min_age_years } => e.with("min_age_years", min_age_years),
                    Ineligibility::EstablishedContactRequired => e,
                }
            }
            PortalError::RebookMismatch(m) => ApiError::new(ProblemType::RebookMismatch)
                .detail(format!("The slot cannot be a rebooking target: {m}."))
                .with("mismatch", mismatch_code(&m)),
            PortalError::BookingNotActive => {
                ApiError::new(ProblemType::BookingNotActive).detail("The booking is no longer booked.")
            }
            PortalError::IdempotencyKeyReused => ApiError::new(ProblemType::IdempotencyKeyReused)
                .detail("This Idempotency-Key was used for a different request."),
            PortalError::BookingLimitReached(max) => ApiError::new(ProblemType::BookingLimitReached)
                .detail(format!("You already have {max} upcoming bookings of this type."))
                .with("max", max),
            PortalError::ContactRequired(channel) => {
                let field = match channel {
                    tidbok_domain::Channel::Email => "email",
                    tidbok_domain::Channel::Sms => "phone",
                };
                ApiError::field(field, FieldCode::Required, format!("{channel} notifications need one"))
            }
            PortalError::OfferGone => {
                ApiError::new(ProblemType::OfferGone).detail("The offer is no longer open. Your booking is unchanged.")
            }
            PortalError::InvitationUsed => ApiError::new(ProblemType::InvitationUsed)
                .detail("The invitation has been used or has expired. Please contact the unit."),
            PortalError::OutsideInvitation => {
                ApiError::new(ProblemType::OutsideInvitation).detail("The invitation does not cover this slot or date.")
            }
            PortalError::GuardianAccessEnded(on) => ApiError::new(ProblemType::GuardianAccessEnded)
                .detail(format!("A guardian acts for this child only until {on}."))
                .with("access_ended_on", on.to_string()),
            PortalError::NotForChild => ApiError::new(ProblemType::NotForChild)
                .detail("Notification settings are your own; change them without acting for a child."),
            PortalError::Store(s) => s.into(),
        }
    }
}

impl From<tidbok_domain::usecases::DeskError> for ApiError {
    fn from(e: tidbok_domain::usecases::DeskError) -> Self {
        use tidbok_domain::usecases::DeskError as D;
        match e {
            D::NotFound => ApiError::not_found(),
            D::Forbidden => ApiError::new(ProblemType::Forbidden).detail("Your role or units do not allow this."),
            D::SlotTaken => ApiError::new(ProblemType::SlotAlreadyBooked).detail("The slot is not free."),
            D::BookingNotActive => {
                ApiError::new(ProblemType::BookingNotActive).detail("The booking is no longer booked.")
            }
            D::Overlap => ApiError::new(ProblemType::TimeCollides)
                .detail("The time overlaps another booking of the practitioner."),
            D::TemplateOverlap { first, second } => ApiError::new(ProblemType::TemplateOverlap)
                .detail(format!("Blocks {first} and {second} overlap."))
                .with("first", first)
                .with("second", second),
            D::InvalidBlock { index, error } => {
                ApiError::field(&format!("blocks[{index}]"), error.into(), error.to_string())
            }
            D::InvalidRange(why) => ApiError::new(ProblemType::InvalidDateRange).detail(why),
            D::EndBeforeStart => ApiError::field("to", FieldCode::BeforeFrom, "must not lie before `from`"),
            D::StartsInPast => ApiError::new(ProblemType::StartsInPast)
                .detail("The time has already started. Pick a time ahead, or record the visit after the fact."),
            D::NotAfterTheFact => ApiError::field(
                "record_after_the_fact",
                FieldCode::NotStarted,
                "the time has not started yet; book it without record_after_the_fact",
            ),
            D::TypeNotUsable => ApiError::new(ProblemType::AppointmentTypeNotUsable)
                .detail("The appointment type is retired, unknown or of another region."),
            D::DuplicateName => {
                ApiError::new(ProblemType::DuplicateName).detail("Another type of the region has that name.")
            }
            D::ServiceNotSetUp => ApiError::new(ProblemType::ServiceNotSetUp)
                .detail("A regional admin must set the service up for the unit first."),
            D::InvalidSelection(lines) => {
                let lines: Vec<_> = lines
                    .iter()
                    .map(|(line, error)| {
                        serde_json::json!({"line": line, "code": FieldCode::from(*error), "error": error.to_string()})
                    })
                    .collect();
                ApiError::new(ProblemType::InvalidSelection)
                    .detail(format!(
                        "{} lines are not valid personal identity numbers; nothing was imported.",
                        lines.len()
                    ))
                    .with("lines", lines)
            }
            D::InvalidRegister(lines) => {
                let lines: Vec<_> = lines
                    .iter()
                    .map(|(line, error)| serde_json::json!({"line": line, "code": error.code(), "error": error.to_string()}))
                    .collect();
                let detail = if lines.is_empty() {
                    "The file holds no guardianship; nothing was loaded.".to_owned()
                } else {
                    format!("{} lines do not read; nothing was loaded.", lines.len())
                };
                ApiError::new(ProblemType::InvalidRegister)
                    .detail(detail)
                    .with("lines", lines)
            }
            D::Store(s) => s.into(),
        }
    }
}

/// `docs/problems.md`, generated from the catalogue.
pub fn problems_markdown() -> String {
    let mut out = String::from(
        "# Problem types\n\n\
         Every error response of the Tidbok API is `application/problem+json` (RFC 9457). \
         Clients branch on `type`, which never changes once published; `title` and `detail` \
         are for people. This file is generated from `crates/api/src/problem.rs` \
         (`cargo run -p tidbok-api -- problems > docs/problems.md`); a test fails when it is stale.\n\n\
         | type | status | title |\n|---|---|---|\n",
    );
    for p in ProblemType::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            p.uri(),
            p.status().as_u16(),
            p.title()
        ));
    }
    out.push('\n');
    for p in ProblemType::ALL {
        out.push_str(&format!(
            "## {}\n\n`{}` — HTTP {}\n\n{}\n\n",
            p.slug(),
            p.uri(),
            p.status().as_u16(),
            p.description()
        ));
    }
    out.push_str(
        "## Field codes\n\n\
         A `validation-failed` problem lists each invalid field in `errors` with a stable `code`; \
         `invalid-selection` gives one per CSV line in `lines[].code`. The `message` beside a code \
         is English for developers; show people a text of your own chosen by the code (the web \
         app has Swedish and English ones for every code).\n\n\
         | code | meaning |\n|---|---|\n",
    );
    for c in FieldCode::ALL {
        out.push_str(&format!("| `{}` | {} |\n", c.code(), c.description()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_lists_every_field_code_as_it_is_sent() {
        let schema = serde_json::to_value(<FieldCode as utoipa::PartialSchema>::schema()).unwrap();
        let listed: Vec<String> = serde_json::from_value(schema["enum"].clone()).unwrap();
        let sent: Vec<String> = FieldCode::ALL
            .iter()
            .map(|c| serde_json::to_value(c).unwrap().as_str().unwrap().to_owned())
            .collect();
        assert_eq!(listed, sent);
        assert!(sent.contains(&"pnr_check_digit".to_owned()));
    }

    #[test]
    fn every_problem_and_field_code_is_in_the_catalogue_document() {
        let doc = problems_markdown();
        for p in ProblemType::ALL {
            assert!(doc.contains(&p.uri()), "{}", p.slug());
        }
        for c in FieldCode::ALL {
            assert!(doc.contains(&format!("| `{}` |", c.code())), "{}", c.code());
        }
    }
}
