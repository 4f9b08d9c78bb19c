//! The `Idempotency-Key` header of booking and rebooking: a retried request
//! with the same key and body returns the first result; the same key with
//! another body is refused.

use crate::problem::{ApiError, FieldCode};
use actix_web::HttpRequest;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tidbok_domain::ports::IdempotencyKey;

pub const HEADER: &str = "Idempotency-Key";
pub const MAX_KEY_LENGTH: usize = 255;

/// The request's key, bound to a fingerprint of `body`.
pub fn key(req: &HttpRequest, body: &impl Serialize) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LENGTH && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::field(
                HEADER,
                FieldCode::Invalid,
                "must be 1 to 255 visible ASCII characters, such as a UUID",
            )
        })?;
    let mut canonical = serde_json::to_vec(body).map_err(ApiError::internal)?;
    // Rule 17: the same key and body for another child is another request.
    if let Some(child) = req.headers().get(crate::caller::ACTING_FOR) {
        canonical.push(b'\n');
        canonical.extend_from_slice(child.as_bytes());
    }
    let fingerprint = hex::encode(Sha256::digest(&canonical));
    Ok(Some(IdempotencyKey {
        key: key.to_owned(),
        fingerprint,
    }))
}
