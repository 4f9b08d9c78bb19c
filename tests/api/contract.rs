//! The contract: the committed `openapi/openapi.json` and `docs/problems.md`
//! are what the code generates, the server serves the same contract, and
//! the limits the server enforces are the ones the contract states.

use crate::helpers::*;
use serde_json::Value;
use tidbok_domain::{BookingMessage, CancellationReason, ReasonForVisit};

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn generated() -> Value {
    serde_json::to_value(tidbok_api::startup::openapi()).unwrap()
}

#[test]
fn the_committed_contract_is_the_generated_one() {
    let committed = std::fs::read_to_string(repo("openapi/openapi.json")).expect("openapi/openapi.json exists");
    let generated = serde_json::to_string_pretty(&tidbok_api::startup::openapi()).unwrap() + "\n";
    assert!(
        committed == generated,
        "openapi/openapi.json is stale. Regenerate it with `make openapi` \
         (cargo run -p tidbok-api --bin tidbok -- openapi -o openapi/openapi.json) and commit it."
    );
}

#[test]
fn the_committed_problem_catalogue_is_the_generated_one() {
    let committed = std::fs::read_to_string(repo("docs/problems.md")).expect("docs/problems.md exists");
    assert!(
        committed == tidbok_api::problem::problems_markdown(),
        "docs/problems.md is stale. Regenerate it with `make openapi` and commit it."
    );
}

#[test]
fn every_problem_type_is_listed_in_the_catalogue_once() {
    let md = tidbok_api::problem::problems_markdown();
    for p in tidbok_api::problem::ProblemType::ALL {
        assert_eq!(md.matches(&format!("## {}\n", p.slug())).count(), 1, "{}", p.slug());
    }
}

#[test]
fn the_contract_states_the_limits_the_server_enforces() {
    let api = generated();
    let schema = |name: &str, field: &str| api["components"]["schemas"][name]["properties"][field].clone();
    assert_eq!(
        schema("BookRequest", "reason_for_visit")["maxLength"],
        ReasonForVisit::MAX_CHARS
    );
    assert_eq!(schema("BookRequest", "reason_for_visit")["minLength"], 1);
    assert_eq!(schema("BookRequest", "message")["maxLength"], BookingMessage::MAX_CHARS);
    assert_eq!(
        schema("CancelRequest", "reason")["maxLength"],
        CancellationReason::MAX_CHARS
    );
    assert_eq!(
        api["components"]["schemas"]["BookRequest"]["additionalProperties"], false,
        "unknown fields are refused"
    );
}

#[test]
fn every_operation_documents_its_problems_and_security() {
    let api = generated();
    let mut checked = 0;
    for (path, item) in api["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            for status in ["500", "503"] {
                assert!(responses.contains_key(status), "{method} {path} lacks {status}");
            }
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status} is not a problem response"
                    );
                }
            }
            if path.starts_with("/api/v1/units") || path.starts_with("/api/v1/me") {
                assert_eq!(op["security"], serde_json::json!([{"bearer": []}]), "{method} {path}");
                assert!(
                    responses.contains_key("401") && responses.contains_key("403"),
                    "{method} {path}"
                );
            }
            assert!(op["operationId"].is_string(), "{method} {path} has an operationId");
            checked += 1;
        }
    }
    assert!(checked >= 14, "only {checked} operations");
    assert_eq!(api["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(api["info"]["license"]["name"], "EUPL-1.2");
}

crate::on_both_backends!(the_server_serves_its_contract_and_docs);

async fn the_server_serves_its_contract_and_docs(app: TestApp) {
    let served: Value = app
        .client
        .get(app.url("/api-docs/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served, generated());
    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    let html = docs.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "the docs UI");
    assert!(!html.contains("https://"), "no assets from a CDN");
    let bundle = app
        .client
        .get(app.url("/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(bundle.status(), 200, "the UI's script is served from the binary");
}
