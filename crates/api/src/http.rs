//! What every response carries and every request path is read as, in one
//! place: security headers (a Content-Security-Policy per kind of response,
//! no framing, no sniffing, no referrer, a minimal Permissions-Policy, HSTS
//! when the service is behind TLS), caching (`no-store` for the API, which
//! answers with personal data; immutable hashed assets; a revalidated
//! `index.html`), `HEAD` on every `GET` route, and one rule for trailing
//! slashes: under `/api/` a trailing slash is ignored.

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::Method;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// What a response is, for its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The JSON API, health checks and the contract.
    Api,
    /// The Swagger UI bundled in the binary.
    Docs,
    /// The web app's hashed, content-addressed files (`/assets/…`).
    HashedAsset,
    /// The web app's pages and other static files.
    App,
}

impl Kind {
    pub fn of(path: &str) -> Self {
        if path.starts_with("/api/")
            || path == "/api"
            || path.starts_with("/api-docs")
            || path == "/healthz"
            || path == "/readyz"
        {
            Kind::Api
        } else if path == "/docs" || path.starts_with("/docs/") {
            Kind::Docs
        } else if path.starts_with("/assets/") {
            Kind::HashedAsset
        } else {
            Kind::App
        }
    }
}

/// The response headers of the service, built once at start-up.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    app_csp: HeaderValue,
    docs_csp: HeaderValue,
    api_csp: HeaderValue,
    hsts: Option<HeaderValue>,
}

/// `base-uri`, `form-action`, `object-src` and `frame-ancestors` are not
/// covered by `default-src`, so every policy states them.
const CLOSED: &str = "base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";

impl SecurityHeaders {
    /// `hsts`: the service is reached over TLS only (a proxy in front
    /// terminates it), so browsers may be told never to use plain HTTP.
    pub fn new(hsts: bool) -> Self {
        // The web app: its own scripts and styles only, no inline script.
        // The printable summons (kallelse) opens from the app as a blob and
        // so runs under this policy: its one static <style> is allowed by hash.
        let app = format!(
            "default-src 'self'; script-src 'self'; style-src 'self' '{}'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'none'; {CLOSED}",
            csp_hash(crate::summons::style_block())
        );
        // Swagger UI (utoipa-swagger-ui, vendored) sets styles inline from
        // its script and shows its logo and icons as data: images; its
        // scripts are files of the binary.
        let docs = format!(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             connect-src 'self'; {CLOSED}"
        );
        // JSON renders nothing: nothing may load or frame it.
        let api = format!("default-src 'none'; {CLOSED}");
        Self {
            app_csp: value(&app),
            docs_csp: value(&docs),
            api_csp: value(&api),
            hsts: hsts.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        }
    }

    /// Sets what the response lacks. A handler that chose a header (a
    /// `Cache-Control` of its own) keeps it.
    pub fn apply(&self, kind: Kind, headers: &mut HeaderMap) {
        let csp = match kind {
            Kind::Api => &self.api_csp,
            Kind::Docs => &self.docs_csp,
            Kind::HashedAsset | Kind::App => &self.app_csp,
        };
        set(headers, header::CONTENT_SECURITY_POLICY, csp.clone());
        set(headers, header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        set(
            headers,
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        set(
            headers,
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        set(
            headers,
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
            ),
        );
        set(
            headers,
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        );
        if let Some(hsts) = &self.hsts {
            set(headers, header::STRICT_TRANSPORT_SECURITY, hsts.clone());
        }
        let cache = match kind {
            // Answers hold personal data: a shared computer's browser must
            // not keep them.
            Kind::Api => "no-store",
            Kind::HashedAsset => "public, max-age=31536000, immutable",
            Kind::Docs | Kind::App => "no-cache",
        };
        set(headers, header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
}

fn value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("the policies are ASCII")
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: HeaderValue) {
    if !headers.contains_key(&name) {
        headers.insert(name, value);
    }
}

/// A CSP source for an inline block of exactly this text.
pub fn csp_hash(text: &str) -> String {
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// Reads a request as the routes expect it, before routing. Returns whether
/// it was a `HEAD` request: those are routed as `GET` (so every `GET` route
/// answers `HEAD`, as RFC 9110 asks) and their bodies dropped on the way out.
/// Under `/api/` a trailing slash is ignored: `/api/v1/units/` is
/// `/api/v1/units`.
pub fn normalize(req: &mut ServiceRequest) -> bool {
    let head = req.method() == Method::HEAD;
    if head {
        req.head_mut().method = Method::GET;
    }
    let path = req.path();
    if path.starts_with("/api/") && path.len() > "/api/".len() && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/');
        let uri = match req.uri().query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed.to_owned(),
        };
        if let Ok(uri) = uri.parse::<actix_web::http::Uri>() {
            req.match_info_mut().get_mut().update(&uri);
            req.head_mut().uri = uri;
        }
    }
    head
}

/// A `HEAD` answer: the `GET` answer's status and headers without its body.
pub fn strip_body<B>(response: ServiceResponse<B>) -> ServiceResponse<actix_web::body::BoxBody>
where
    B: actix_web::body::MessageBody + 'static,
{
    let (req, res) = response.into_parts();
    let length = res.headers().get(header::CONTENT_LENGTH).cloned();
    let mut res = res.set_body(actix_web::body::BoxBody::new(()));
    if let Some(length) = length {
        res.headers_mut().insert(header::CONTENT_LENGTH, length);
    }
    ServiceResponse::new(req, res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sorted_into_kinds() {
        assert_eq!(Kind::of("/api/v1/me/bookings"), Kind::Api);
        assert_eq!(Kind::of("/api-docs/openapi.json"), Kind::Api);
        assert_eq!(Kind::of("/readyz"), Kind::Api);
        assert_eq!(Kind::of("/docs/"), Kind::Docs);
        assert_eq!(Kind::of("/docs/swagger-ui.css"), Kind::Docs);
        assert_eq!(Kind::of("/assets/index-3f2a.js"), Kind::HashedAsset);
        assert_eq!(Kind::of("/bookings"), Kind::App);
        assert_eq!(Kind::of("/"), Kind::App);
        assert_eq!(Kind::of("/apiary"), Kind::App);
    }

    #[test]
    fn the_app_policy_allows_no_inline_script_and_nothing_from_elsewhere() {
        let headers = SecurityHeaders::new(false);
        let mut map = HeaderMap::new();
        headers.apply(Kind::App, &mut map);
        let csp = map.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
        assert!(csp.contains("script-src 'self';"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval") && !csp.contains("http"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(
            map.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
            "no HSTS unless behind TLS"
        );
        let mut map = HeaderMap::new();
        SecurityHeaders::new(true).apply(Kind::Api, &mut map);
        assert!(map.get(header::STRICT_TRANSPORT_SECURITY).is_some());
        assert_eq!(map.get(header::CACHE_CONTROL).unwrap(), "no-store");
    }

    #[test]
    fn a_handlers_own_cache_control_is_kept() {
        let mut map = HeaderMap::new();
        map.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=5"));
        SecurityHeaders::new(false).apply(Kind::Api, &mut map);
        assert_eq!(map.get(header::CACHE_CONTROL).unwrap(), "private, max-age=5");
    }
}
