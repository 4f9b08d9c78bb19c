//! Answers for requests no route takes: 405 with `Allow` when the path exists
//! with other methods, else 404 — both problem+json. The known paths come from
//! the contract itself, so they cannot drift from the routes.

use crate::problem::{ApiError, ProblemType};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use utoipa::openapi::OpenApi;

/// Path templates of the contract with their methods.
pub struct KnownPaths(Vec<(Vec<String>, Vec<&'static str>)>);

impl KnownPaths {
    pub fn from_openapi(api: &OpenApi) -> Self {
        let mut paths: Vec<_> = api
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let mut methods = Vec::new();
                for (method, present) in [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ] {
                    if present {
                        methods.push(method);
                        // Every GET route answers HEAD too (see `crate::http`).
                        if method == "GET" {
                            methods.push("HEAD");
                        }
                    }
                }
                (segments(template), methods)
            })
            .collect();
        paths.push((segments("/api-docs/openapi.json"), vec!["GET", "HEAD"]));
        Self(paths)
    }

    /// Methods the path has, from the first template that matches it.
    fn methods(&self, path: &str) -> Option<&[&'static str]> {
        let wanted = segments(path);
        self.0
            .iter()
            .find(|(template, _)| {
                template.len() == wanted.len()
                    && template
                        .iter()
                        .zip(&wanted)
                        .all(|(t, w)| (t.starts_with('{') && !w.is_empty()) || t == w)
            })
            .map(|(_, methods)| methods.as_slice())
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/').split('/').map(str::to_owned).collect()
}

/// The built web app's `index.html`.
pub struct WebApp(pub std::path::PathBuf);

/// Paths the API owns: never answered with the web app.
fn api_path(path: &str) -> bool {
    ["/api/", "/api-docs", "/docs", "/healthz", "/readyz"]
        .iter()
        .any(|p| path == p.trim_end_matches('/') || path.starts_with(p))
}

/// What the web app's folder does not have: a client-side route gets
/// `index.html` (GET and HEAD only); everything else the API's answer.
pub async fn web_app(req: HttpRequest, known: web::Data<KnownPaths>, app: web::Data<WebApp>) -> HttpResponse {
    let page = matches!(
        *req.method(),
        actix_web::http::Method::GET | actix_web::http::Method::HEAD
    ) && !api_path(req.path());
    if page {
        if let Ok(html) = tokio::fs::read(&app.0).await {
            return HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .insert_header((actix_web::http::header::CACHE_CONTROL, "no-cache"))
                .body(html);
        }
    }
    fallback(req, known).await
}

pub async fn fallback(req: HttpRequest, known: web::Data<KnownPaths>) -> HttpResponse {
    let error = match known.methods(req.path()) {
        Some(methods) => ApiError::new(ProblemType::MethodNotAllowed)
            .detail(format!("{} is not allowed here.", req.method()))
            .allow(methods.join(", ")),
        None => ApiError::not_found().detail("No such resource."),
    };
    error.error_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_concrete_paths_segment_by_segment() {
        let known = KnownPaths(vec![
            (segments("/api/v1/me/bookings/{booking_id}"), vec!["GET"]),
            (segments("/api/v1/me/bookings"), vec!["GET", "POST"]),
        ]);
        assert_eq!(known.methods("/api/v1/me/bookings/abc"), Some(&["GET"][..]));
        assert_eq!(known.methods("/api/v1/me/bookings/"), Some(&["GET", "POST"][..]));
        assert_eq!(known.methods("/api/v1/me/bookings/abc/x"), None);
        assert_eq!(known.methods("/api/v1/me"), None);
    }
}
