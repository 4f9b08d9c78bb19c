//! HTTP as browsers and integrators expect it: HEAD on every GET route, one
//! rule for trailing slashes, security headers on every response, no caching
//! of personal data, compressed and long-cached hashed assets, and key ids
//! checked the way the README says.

use crate::helpers::*;
use jsonwebtoken::Algorithm;
use serde_json::{json, Value};

/// A built web app in miniature: an index page and one hashed asset.
fn web_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>Tidbok</title><script type=\"module\" src=\"/assets/index-abc123.js\"></script>",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(
        dir.path().join("assets/index-abc123.js"),
        "console.log('tidbok');\n".repeat(400),
    )
    .unwrap();
    dir
}

async fn with_web_app() -> Option<(TestApp, tempfile::TempDir)> {
    let dir = web_app();
    let path = dir.path().to_str().unwrap().to_owned();
    let app = spawn_with(Kind::Sqlite, move |s| s.static_dir = Some(path)).await?;
    Some((app, dir))
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} on {}", response.url()))
}

fn assert_hardened(response: &reqwest::Response) {
    let csp = header(response, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{}: {csp}", response.url());
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    assert_eq!(header(response, "x-frame-options"), "DENY");
    assert_eq!(header(response, "x-content-type-options"), "nosniff");
    assert_eq!(header(response, "referrer-policy"), "no-referrer");
    assert!(header(response, "permissions-policy").contains("camera=()"));
}

#[tokio::test]
async fn every_get_route_answers_head_with_the_get_headers_and_no_body() {
    let Some((app, _dir)) = with_web_app().await else {
        return;
    };
    let anna = resident_token(&adult_pnr(81));
    for path in [
        "/api/v1/units",
        "/api/v1/me/bookings",
        "/healthz",
        "/api-docs/openapi.json",
        "/",
        "/bookings",
        "/assets/index-abc123.js",
    ] {
        let get = app.client.get(app.url(path)).bearer_auth(&anna).send().await.unwrap();
        let head = app.client.head(app.url(path)).bearer_auth(&anna).send().await.unwrap();
        assert_eq!(head.status(), get.status(), "HEAD {path}");
        assert_eq!(head.status(), 200, "HEAD {path}");
        assert_eq!(
            head.headers().get("content-type"),
            get.headers().get("content-type"),
            "HEAD {path}"
        );
        assert!(head.bytes().await.unwrap().is_empty(), "HEAD {path} has no body");
    }
    // Without a token HEAD is refused like GET.
    let head = app.client.head(app.url("/api/v1/me/bookings")).send().await.unwrap();
    assert_eq!(head.status(), 401);
}

crate::on_both_backends!(a_trailing_slash_under_the_api_is_ignored);

async fn a_trailing_slash_under_the_api_is_ignored(app: TestApp) {
    let anna = resident_token(&adult_pnr(82));
    let plain: Value = app.get("/api/v1/units", &anna).await.json().await.unwrap();
    let slashed = app.get("/api/v1/units/", &anna).await;
    assert_eq!(slashed.status(), 200);
    assert_eq!(slashed.json::<Value>().await.unwrap(), plain);
    let unit = app.world.unit.id;
    assert_eq!(app.get(&format!("/api/v1/units/{unit}/"), &anna).await.status(), 200);
    // With a query too, and for writes.
    let ty = app.world.self_service.id;
    let day = tidbok_domain::time::local_date(in_hours(48));
    assert_eq!(
        app.get(
            &format!("/api/v1/units/{unit}/appointment-types/{ty}/slots/?date={day}"),
            &anna
        )
        .await
        .status(),
        200
    );
    let [slot] = app.slots(&app.world.self_service, &[in_hours(48)], 15).await[..] else {
        unreachable!()
    };
    let booked = app.post("/api/v1/me/bookings/", &anna, &book_body(slot)).await;
    assert_eq!(booked.status(), 201);
    // A path that does not exist stays a 404, slash or not.
    assert_problem(app.get("/api/v1/nothing/", &anna).await, 404, "not-found").await;
}

#[tokio::test]
async fn every_response_carries_security_headers_and_personal_data_is_never_cached() {
    let Some((app, _dir)) = with_web_app().await else {
        return;
    };
    let anna = resident_token(&adult_pnr(83));

    let api = app.get("/api/v1/me/bookings", &anna).await;
    assert_hardened(&api);
    assert_eq!(header(&api, "cache-control"), "no-store");
    assert!(header(&api, "content-security-policy").starts_with("default-src 'none'"));
    let refused = app.client.get(app.url("/api/v1/me/bookings")).send().await.unwrap();
    assert_hardened(&refused);
    assert_eq!(header(&refused, "cache-control"), "no-store");
    let problem = app.get("/api/v1/me/bookings/not-a-uuid", &anna).await;
    assert_hardened(&problem);
    assert_eq!(header(&problem, "cache-control"), "no-store");

    let page = app.client.get(app.url("/bookings")).send().await.unwrap();
    assert_hardened(&page);
    assert_eq!(header(&page, "cache-control"), "no-cache");
    let csp = header(&page, "content-security-policy").to_owned();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "the app allows no inline code: {csp}");

    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert_hardened(&docs);
    let docs_csp = header(&docs, "content-security-policy");
    assert!(docs_csp.contains("script-src 'self';"), "{docs_csp}");
    assert!(
        !docs_csp.contains("http"),
        "the docs load nothing from elsewhere: {docs_csp}"
    );
    assert!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .headers()
            .get("strict-transport-security")
            .is_none(),
        "no HSTS unless the service says it is behind TLS"
    );
}

#[tokio::test]
async fn behind_tls_every_response_asks_for_https_only() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| s.hsts = true).await else {
        return;
    };
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(
        header(&response, "strict-transport-security"),
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn hashed_assets_are_compressed_and_cached_for_a_year_and_the_page_is_revalidated() {
    let Some((app, _dir)) = with_web_app().await else {
        return;
    };
    let asset = "/assets/index-abc123.js";
    for encoding in ["br", "gzip"] {
        let response = app
            .client
            .get(app.url(asset))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-encoding"), encoding);
        assert_eq!(
            header(&response, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        let size = response.bytes().await.unwrap().len();
        assert!(size < 2000, "{encoding}: {size} bytes of a 9,600-byte file");
    }
    let plain = app.client.get(app.url(asset)).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let index = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&index, "cache-control"), "no-cache");
    let route = app.client.get(app.url("/units/123/book")).send().await.unwrap();
    assert_eq!(route.status(), 200, "a client-side route gets the page");
    assert_eq!(header(&route, "cache-control"), "no-cache");
}

fn resident_claims() -> Value {
    let mut c = claims("resident");
    c["pnr"] = json!(adult_pnr(84));
    c
}

#[tokio::test]
async fn a_pem_key_verifies_tokens_with_its_own_key_id_or_none_and_refuses_unknown_ids() {
    let Some(app) = spawn(Kind::Sqlite).await else {
        return;
    };
    let units = |token: String| {
        let app = &app;
        async move { app.get("/api/v1/units", &token).await }
    };
    let no_kid = sign(&resident_claims(), Algorithm::RS256, "idp-rs256.key.pem", None);
    assert_eq!(units(no_kid).await.status(), 200);
    let unknown = sign(
        &resident_claims(),
        Algorithm::RS256,
        "idp-rs256.key.pem",
        Some("rotated-2027"),
    );
    assert_problem(units(unknown).await, 401, "unauthorized").await;

    let Some(named) = spawn_with(Kind::Sqlite, |s| s.jwt_public_key_kid = Some("idp-2026".into())).await else {
        return;
    };
    let with = |kid: Option<&str>| sign(&resident_claims(), Algorithm::RS256, "idp-rs256.key.pem", kid);
    assert_eq!(named.get("/api/v1/units", &with(Some("idp-2026"))).await.status(), 200);
    assert_eq!(named.get("/api/v1/units", &with(None)).await.status(), 200);
    assert_problem(
        named.get("/api/v1/units", &with(Some("idp-2025"))).await,
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn a_jwks_key_verifies_only_tokens_naming_it_or_none() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| {
        s.jwt_public_key_file = None;
        s.jwt_jwks_file = Some(fixture("idp-jwks.json"));
    })
    .await
    else {
        return;
    };
    let with = |kid: Option<&str>| sign(&resident_claims(), Algorithm::RS256, "idp-rs256.key.pem", kid);
    assert_eq!(app.get("/api/v1/units", &with(Some("idp-2026"))).await.status(), 200);
    assert_eq!(app.get("/api/v1/units", &with(None)).await.status(), 200);
    assert_problem(
        app.get("/api/v1/units", &with(Some("unknown"))).await,
        401,
        "unauthorized",
    )
    .await;
}
