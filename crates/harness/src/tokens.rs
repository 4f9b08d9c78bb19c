//! Access tokens from the test identity provider's key
//! (`tests/fixtures/idp-rs256.key.pem`), as a region's IdP would issue them.

use anyhow::Context;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use std::path::PathBuf;
use uuid::Uuid;

pub const ISSUER: &str = "https://idp.harness.test";
pub const AUDIENCE: &str = "tidbok-harness";

pub struct Signer {
    key: EncodingKey,
    pub public_key_file: PathBuf,
}

impl Signer {
    pub fn from_fixtures() -> anyhow::Result<Self> {
        let dir = crate::repo_root().join("tests/fixtures");
        let pem = std::fs::read(dir.join("idp-rs256.key.pem")).context("the test IdP key")?;
        Ok(Self {
            key: EncodingKey::from_rsa_pem(&pem)?,
            public_key_file: dir.join("idp-rs256.pub.pem"),
        })
    }

    fn sign(&self, mut claims: serde_json::Value) -> String {
        let now = chrono::Utc::now().timestamp();
        claims["iss"] = json!(ISSUER);
        claims["aud"] = json!(AUDIENCE);
        claims["iat"] = json!(now);
        claims["nbf"] = json!(now - 5);
        // Long enough for the longest run.
        claims["exp"] = json!(now + 6 * 3600);
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key).expect("signing with a valid key")
    }

    pub fn resident(&self, pnr: &str) -> String {
        self.sign(json!({"sub": Uuid::new_v4().to_string(), "role": "resident", "pnr": pnr, "name": "Last Testsson"}))
    }

    pub fn staff(&self, units: &[Uuid]) -> String {
        self.sign(json!({
            "sub": Uuid::new_v4().to_string(),
            "role": "staff",
            "units": units.iter().map(Uuid::to_string).collect::<Vec<_>>(),
            "name": "Sara Last",
        }))
    }
}
