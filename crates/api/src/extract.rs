//! `ApiJson<T>`: the JSON body extractor of every handler. Unlike actix's own,
//! it names the failing field of a type error (via serde_path_to_error) and
//! answers every failure as a problem: 415 for a non-JSON content type, 413
//! past the size limit, 400 for unreadable JSON, 422 with per-field errors for
//! JSON of the wrong shape.

use crate::problem::{ApiError, FieldCode, FieldError, ProblemType};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// Largest JSON body accepted.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub struct ApiJson<T>(pub T);

impl<T> std::ops::Deref for ApiJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    match req.mime_type() {
        Ok(Some(mime)) => mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON),
        _ => false,
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(ApiError::new(ProblemType::UnsupportedMediaType)
                    .detail("Send the body as Content-Type: application/json."));
            }
            let bytes = body.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => too_large(),
                _ => ApiError::new(ProblemType::MalformedRequest).detail("The body could not be read."),
            })?;
            parse(&bytes).map(ApiJson)
        })
    }
}

fn too_large() -> ApiError {
    ApiError::new(ProblemType::PayloadTooLarge).detail(format!("The body may be at most {MAX_BODY_BYTES} bytes."))
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every body is a JSON object: serde would also read a struct from an
    // array of its fields in order (`[null, null]`), which no client means.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b == b'[') {
        return Err(ApiError::field_errors(vec![FieldError {
            field: String::new(),
            code: FieldCode::Invalid,
            message: "the body must be a JSON object".into(),
        }]));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        shape_error(e.into_inner(), path)
    })?;
    de.end().map_err(|e| shape_error(e, String::new()))?;
    Ok(value)
}

fn shape_error(inner: serde_json::Error, path: String) -> ApiError {
    if !inner.is_data() {
        return ApiError::new(ProblemType::MalformedRequest).detail(format!("The body is not valid JSON: {inner}"));
    }
    let message = inner.to_string();
    let (field, code) = if let Some(f) = quoted(&message, "unknown field `") {
        (f, FieldCode::UnknownField)
    } else if let Some(f) = quoted(&message, "missing field `") {
        (f, FieldCode::Required)
    } else if path != "." && !path.is_empty() {
        (path, FieldCode::Invalid)
    } else {
        ("body".to_owned(), FieldCode::Invalid)
    };
    ApiError::field_errors(vec![FieldError { field, code, message }])
}

/// The name in serde's "unknown field `x`" and "missing field `x`" messages.
fn quoted(message: &str, prefix: &str) -> Option<String> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(rest[..rest.find('`')?].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        slot_id: uuid::Uuid,
        reason: String,
    }

    fn field_of(json: &str) -> (String, String) {
        let body = parse::<Body>(json.as_bytes()).unwrap_err().body();
        assert_eq!(body.status, 422, "{json}");
        (body.errors[0].field.clone(), body.errors[0].code.code().to_owned())
    }

    #[test]
    fn each_kind_of_shape_error_names_its_field() {
        assert_eq!(
            field_of(r#"{"slot_id": "x", "reason": "a"}"#),
            ("slot_id".into(), "invalid".into())
        );
        assert_eq!(
            field_of(r#"{"slot_id": "00000000-0000-0000-0000-000000000000"}"#),
            ("reason".into(), "required".into())
        );
        assert_eq!(
            field_of(r#"{"slot_id": "00000000-0000-0000-0000-000000000000", "reason": "a", "status": "x"}"#),
            ("status".into(), "unknown_field".into())
        );
        assert_eq!(
            field_of(r#"{"slot_id": "00000000-0000-0000-0000-000000000000", "reason": 7}"#),
            ("reason".into(), "invalid".into())
        );
    }

    #[test]
    fn broken_json_is_a_malformed_request() {
        for json in [
            "{",
            "nope",
            r#"{"slot_id": "00000000-0000-0000-0000-000000000000", "reason": "a"} x"#,
            "",
        ] {
            let body = parse::<Body>(json.as_bytes()).unwrap_err().body();
            assert_eq!(body.status, 400, "{json:?}");
        }
    }
}
