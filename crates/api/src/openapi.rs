//! The contract. Paths and schemas come from the handlers registered in
//! [`crate::routes::configure`]; this module adds what is common to all of
//! them: the info block, the bearer scheme, and the problem responses every
//! operation can give (401, 403, 400/413/415/422 for bodies, 404 for path ids,
//! 429, 500, 503), so the contract lists every status the server sends.

use crate::problem::ProblemType;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr};
use utoipa::Modify;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Tidbok API",
        description = "The appointment book and online booking service for Swedish health care: \
            residents find free slots, book, cancel and rebook them under the rules of Webbtidbok; \
            staff keep the book. Every error is `application/problem+json` with a stable `type` \
            (see `docs/problems.md`). Times are UTC instants; `local_date` and `local_start_time` \
            give the Europe/Stockholm wall clock.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
        contact(name = "Tidbok")
    ),
    modifiers(&Common),
    components(schemas(crate::problem::Problem, crate::problem::FieldError)),
    tags(
        (name = "resident", description = "The resident's portal: units, types, dates, slots, own bookings, inbox, notification settings and access log"),
        (name = "staff", description = "The unit's appointment book: views, staff bookings, arrival, cancellation, summons, cancellation feed"),
        (name = "scheduling", description = "Templates, publishing, one-day changes, empty days and the eight-week horizon"),
        (name = "admin", description = "The type catalogue, the units' online services, terms texts, audiences and the access log"),
        (name = "dev-login", description = "Demo personas, only when the dev login is on"),
        (name = "operations", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

struct Common;

fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

fn describe(kinds: &[ProblemType]) -> String {
    kinds
        .iter()
        .map(|k| format!("`{}`", k.slug()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds `status` to the operation unless the handler documented it itself.
fn ensure(op: &mut Operation, status: u16, kinds: &[ProblemType]) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| RefOr::T(problem_response(&describe(kinds))));
}

impl Modify for Common {
    fn modify(&self, api: &mut OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Rule 17: every resident operation but the list of one's children takes
/// the header a guardian acts for their child with.
fn acting_for_applies(op: &Operation) -> bool {
    let resident = op.tags.as_ref().is_some_and(|t| t.iter().any(|t| t == "resident"));
    resident && op.operation_id.as_deref() != Some("listMyChildren")
}

fn acting_for_header() -> utoipa::openapi::path::Parameter {
    use utoipa::openapi::path::ParameterBuilder;
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ParameterBuilder::new()
        .name("Tidbok-Acting-For")
        .parameter_in(ParameterIn::Header)
        .required(utoipa::openapi::Required::False)
        .description(Some(
            "Rule 17: a guardian acts for their child under the region's age limit by sending the child's id \
             from `GET /me/children`. Every rule is then the child's; the guardian is recorded as the one who \
             acted, and their channels get the messages. Another family's child is 404; your own child from \
             the age limit on is 403 `guardian-access-ended`.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
        ))
        .build()
}

/// Adds the common problem responses to every operation. Runs after the
/// routes are collected (the modifier above runs before).
pub fn finish(mut api: OpenApi) -> OpenApi {
    use ProblemType::*;
    for item in api.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            if acting_for_applies(op) {
                op.parameters.get_or_insert_with(Vec::new).push(acting_for_header());
                ensure(op, 400, &[MalformedRequest]);
                ensure(op, 403, &[GuardianAccessEnded]);
                ensure(op, 404, &[NotFound]);
            }
            let params = op.parameters.clone().unwrap_or_default();
            if secured {
                ensure(op, 401, &[Unauthorized]);
                ensure(op, 403, &[Forbidden]);
            }
            if op.request_body.is_some() {
                ensure(op, 400, &[MalformedRequest]);
                ensure(op, 413, &[PayloadTooLarge]);
                ensure(op, 415, &[UnsupportedMediaType]);
                ensure(op, 422, &[ValidationFailed]);
            }
            if params.iter().any(|p| p.parameter_in == ParameterIn::Path) {
                ensure(op, 404, &[NotFound]);
            }
            if params
                .iter()
                .any(|p| p.parameter_in == ParameterIn::Path && p.name.ends_with("date"))
            {
                ensure(op, 400, &[MalformedRequest]);
            }
            if params.iter().any(|p| p.parameter_in == ParameterIn::Query) {
                ensure(op, 400, &[MalformedRequest]);
                ensure(op, 422, &[ValidationFailed]);
            }
            if matches!(
                op.operation_id.as_deref(),
                Some("book" | "rebookMyBooking" | "devLogin")
            ) {
                ensure(op, 429, &[RateLimited]);
            }
            ensure(op, 500, &[InternalError]);
            ensure(op, 503, &[ServiceUnavailable]);
        }
    }
    api
}
