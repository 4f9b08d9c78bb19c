//! Authentication: only RS256/ES256 tokens from the configured identity
//! provider, with the right issuer and audience, inside their validity, are
//! accepted. Every attack below gets a 401 problem.

use crate::helpers::*;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

async fn units_with(app: &TestApp, token: &str) -> reqwest::Response {
    app.get("/api/v1/units", token).await
}

fn resident_claims() -> Value {
    let mut c = claims("resident");
    c["pnr"] = json!(adult_pnr(1));
    c
}

crate::on_both_backends!(a_valid_token_is_accepted_and_each_attack_is_refused);

async fn a_valid_token_is_accepted_and_each_attack_is_refused(app: TestApp) {
    assert_eq!(
        units_with(&app, &token(&resident_claims())).await.status(),
        200,
        "the genuine token"
    );

    let now = chrono::Utc::now().timestamp();
    let mut attacks: Vec<(&str, String)> = Vec::new();

    let body = B64.encode(resident_claims().to_string());
    attacks.push((
        "alg none",
        format!("{}.{body}.", B64.encode(r#"{"alg":"none","typ":"JWT"}"#)),
    ));

    let public_pem = std::fs::read(fixture("idp-rs256.pub.pem")).unwrap();
    let hs = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &resident_claims(),
        &EncodingKey::from_secret(&public_pem),
    )
    .unwrap();
    attacks.push(("HS256 signed with the public key", hs));

    let mut expired = resident_claims();
    expired["exp"] = json!(now - 120);
    attacks.push(("expired", token(&expired)));

    let mut early = resident_claims();
    early["nbf"] = json!(now + 600);
    attacks.push(("not yet valid", token(&early)));

    let mut issuer = resident_claims();
    issuer["iss"] = json!("https://evil.example");
    attacks.push(("wrong issuer", token(&issuer)));

    let mut audience = resident_claims();
    audience["aud"] = json!("another-service");
    attacks.push(("wrong audience", token(&audience)));

    let mut no_exp = resident_claims();
    no_exp.as_object_mut().unwrap().remove("exp");
    attacks.push(("no expiry", token(&no_exp)));

    attacks.push((
        "signed by another key",
        sign(&resident_claims(), Algorithm::RS256, "attacker-rs256.key.pem", None),
    ));
    attacks.push((
        "ES256 key not configured",
        sign(&resident_claims(), Algorithm::ES256, "idp-es256.key.pem", None),
    ));

    let genuine = token(&resident_claims());
    let mut parts: Vec<String> = genuine.split('.').map(String::from).collect();
    let mut tampered = resident_claims();
    tampered["pnr"] = json!(adult_pnr(2));
    parts[1] = B64.encode(tampered.to_string());
    attacks.push(("tampered payload", parts.join(".")));

    let mut huge = resident_claims();
    huge["padding"] = json!("x".repeat(10_000));
    attacks.push(("oversized", token(&huge)));

    let mut bad_pnr = resident_claims();
    bad_pnr["pnr"] = json!("19121212-1213");
    attacks.push(("resident with an invalid number", token(&bad_pnr)));

    let mut staff_without_uuid = claims("staff");
    staff_without_uuid["sub"] = json!("not-a-uuid");
    attacks.push(("staff without a UUID subject", token(&staff_without_uuid)));

    attacks.push(("garbage", "not.a.token".into()));

    for (name, bad) in attacks {
        let response = units_with(&app, &bad).await;
        assert_eq!(response.status(), 401, "{name}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer", "{name}");
        assert_problem(response, 401, "unauthorized").await;
    }

    for header in ["", "Basic dXNlcjpwYXNz", "Bearer", "Bearer "] {
        let response = app
            .client
            .get(app.url("/api/v1/units"))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_problem(response, 401, "unauthorized").await;
    }
    let none = app.client.get(app.url("/api/v1/units")).send().await.unwrap();
    assert_problem(none, 401, "unauthorized").await;
}

#[tokio::test]
async fn keys_from_a_jwks_document_are_chosen_by_kid() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| {
        s.jwt_public_key_file = None;
        s.jwt_jwks_file = Some(fixture("idp-jwks.json"));
    })
    .await
    else {
        return;
    };
    let with_kid = sign(
        &resident_claims(),
        Algorithm::RS256,
        "idp-rs256.key.pem",
        Some("idp-2026"),
    );
    assert_eq!(units_with(&app, &with_kid).await.status(), 200);
    let wrong_kid = sign(
        &resident_claims(),
        Algorithm::RS256,
        "idp-rs256.key.pem",
        Some("old-key"),
    );
    assert_problem(units_with(&app, &wrong_kid).await, 401, "unauthorized").await;
}

#[tokio::test]
async fn an_es256_identity_provider_works_too() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| {
        s.jwt_public_key_file = Some(fixture("idp-es256.pub.pem"))
    })
    .await
    else {
        return;
    };
    let es = sign(&resident_claims(), Algorithm::ES256, "idp-es256.key.pem", None);
    assert_eq!(units_with(&app, &es).await.status(), 200);
    let rs = token(&resident_claims());
    assert_problem(units_with(&app, &rs).await, 401, "unauthorized").await;
}
