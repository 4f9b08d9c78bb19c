//! Bearer-token authentication.
//!
//! In production the region's identity provider signs access tokens with
//! RS256 or ES256; Tidbok verifies the signature against keys from a PEM or
//! JWKS file and checks issuer, audience, expiry and not-before. Nothing else
//! is accepted: `alg: none`, HMAC algorithms (and so the old trick of an HS256
//! token "signed" with the public key) and unknown key ids are refused before
//! any claim is read.
//!
//! A signature is checked once per token: verified tokens are remembered by
//! their SHA-256 for up to [`VERIFIED_TTL`] (and never past their own `exp`),
//! so a session's later requests skip the RSA or ECDSA work. Only the exact
//! bytes that passed verification hit that cache.
//!
//! The dev login (off unless switched on) signs tokens for the demo personas
//! with an ES256 key made at start-up, verified through the same path.

use crate::problem::{ApiError, ProblemType};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use tidbok_domain::{PersonName, PersonalIdentityNumber, RegionId, StaffId, UnitId};
use utoipa::ToSchema;
use uuid::Uuid;

/// Tokens longer than this are refused unread.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// Clock skew allowed on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECONDS: u64 = 30;
/// How long a verified token is remembered (at most; never past its `exp`).
pub const VERIFIED_TTL: std::time::Duration = std::time::Duration::from_secs(300);
/// How many verified tokens are remembered.
const VERIFIED_CAPACITY: u64 = 200_000;

/// The roles of docs/domain.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    Staff,
    UnitAdmin,
    RegionalAdmin,
}

/// The claims Tidbok reads from an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    /// A string or an array of strings.
    pub aud: serde_json::Value,
    /// Residents: anything stable from the identity provider. Staff and
    /// admins: their UUID, recorded as who did what.
    pub sub: String,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    pub role: Role,
    /// Staff and unit admins: the units they work in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<Uuid>,
    /// Regional admins: their region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Uuid>,
    /// Residents: personal identity number, as the identity provider states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pnr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Who is calling, after verification.
#[derive(Debug, Clone)]
pub enum Principal {
    Resident {
        pnr: PersonalIdentityNumber,
        name: Option<PersonName>,
    },
    Staff {
        id: StaffId,
        role: Role,
        units: Vec<UnitId>,
        region: Option<RegionId>,
        name: Option<String>,
    },
}

impl Principal {
    pub fn role(&self) -> Role {
        match self {
            Principal::Resident { .. } => Role::Resident,
            Principal::Staff { role, .. } => *role,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no bearer token")]
    Missing,
    #[error("the token is too large")]
    TooLarge,
    #[error("the token's algorithm is not accepted")]
    Algorithm,
    #[error("no key matches the token")]
    NoKey,
    #[error("the token is not valid: {0}")]
    Invalid(jsonwebtoken::errors::Error),
    #[error("the token's claims do not fit its role")]
    Claims,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        let detail = match &e {
            AuthError::Missing => "A bearer token is required.",
            AuthError::Invalid(inner) if matches!(inner.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) => {
                "The token has expired."
            }
            AuthError::Expired => "The token has expired.",
            _ => "The bearer token is not valid.",
        };
        ApiError::new(ProblemType::Unauthorized).detail(detail)
    }
}

/// A key that may have signed a token.
#[derive(Clone)]
pub struct VerificationKey {
    pub kid: Option<String>,
    pub algorithm: Algorithm,
    pub key: DecodingKey,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("could not read {0}")]
    Read(String, #[source] std::io::Error),
    #[error("{0} holds neither an RSA nor a P-256 public key in PEM")]
    Pem(String),
    #[error("{0} is not a JWKS document")]
    Jwks(String, #[source] serde_json::Error),
    #[error("JWKS key {0:?} is not an RS256 or ES256 key")]
    JwksKey(Option<String>),
}

impl VerificationKey {
    /// An RSA (RS256) or P-256 (ES256) public key in PEM.
    pub fn from_pem(pem: &[u8], source: &str) -> Result<Self, KeyError> {
        if let Ok(key) = DecodingKey::from_rsa_pem(pem) {
            return Ok(Self {
                kid: None,
                algorithm: Algorithm::RS256,
                key,
            });
        }
        if let Ok(key) = DecodingKey::from_ec_pem(pem) {
            return Ok(Self {
                kid: None,
                algorithm: Algorithm::ES256,
                key,
            });
        }
        Err(KeyError::Pem(source.to_owned()))
    }

    pub fn from_pem_file(path: &str) -> Result<Self, KeyError> {
        let pem = std::fs::read(path).map_err(|e| KeyError::Read(path.to_owned(), e))?;
        Self::from_pem(&pem, path)
    }

    /// Every RS256 and ES256 key of a JWKS document, with its `kid`.
    pub fn from_jwks(json: &str, source: &str) -> Result<Vec<Self>, KeyError> {
        use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, KeyAlgorithm};
        let set: JwkSet = serde_json::from_str(json).map_err(|e| KeyError::Jwks(source.to_owned(), e))?;
        set.keys
            .iter()
            .map(|jwk| {
                let kid = jwk.common.key_id.clone();
                let algorithm = match (&jwk.algorithm, jwk.common.key_algorithm) {
                    (AlgorithmParameters::RSA(_), None | Some(KeyAlgorithm::RS256)) => Algorithm::RS256,
                    (AlgorithmParameters::EllipticCurve(ec), None | Some(KeyAlgorithm::ES256))
                        if ec.curve == EllipticCurve::P256 =>
                    {
                        Algorithm::ES256
                    }
                    _ => return Err(KeyError::JwksKey(kid)),
                };
                let key = DecodingKey::from_jwk(jwk).map_err(|_| KeyError::JwksKey(kid.clone()))?;
                Ok(Self { kid, algorithm, key })
            })
            .collect()
    }

    pub fn from_jwks_file(path: &str) -> Result<Vec<Self>, KeyError> {
        let json = std::fs::read_to_string(path).map_err(|e| KeyError::Read(path.to_owned(), e))?;
        Self::from_jwks(&json, path)
    }
}

/// Verifies access tokens.
pub struct Authenticator {
    issuer: String,
    audience: String,
    keys: Vec<VerificationKey>,
    verified: moka::sync::Cache<[u8; 32], Verified>,
}

/// A token that passed verification: who it names and when it may be used.
#[derive(Clone)]
struct Verified {
    principal: Principal,
    exp: i64,
    nbf: Option<i64>,
}

impl Authenticator {
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>, keys: Vec<VerificationKey>) -> Self {
        Self {
            issuer: issuer.into(),
            audience: audience.into(),
            keys,
            verified: moka::sync::Cache::builder()
                .max_capacity(VERIFIED_CAPACITY)
                .time_to_live(VERIFIED_TTL)
                .build(),
        }
    }

    pub fn add_key(&mut self, key: VerificationKey) {
        self.keys.push(key);
    }

    pub fn has_keys(&self) -> bool {
        !self.keys.is_empty()
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn audience(&self) -> &str {
        &self.audience
    }

    pub fn verify(&self, token: &str, today: chrono::NaiveDate) -> Result<Principal, AuthError> {
        let now = i64::try_from(jsonwebtoken::get_current_timestamp()).unwrap_or(i64::MAX);
        self.verify_at(token, today, now)
    }

    /// [`verify`](Self::verify) with `now` (Unix seconds) for the expiry of
    /// remembered tokens; a fresh signature check uses the system clock.
    fn verify_at(&self, token: &str, today: chrono::NaiveDate, now: i64) -> Result<Principal, AuthError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(AuthError::TooLarge);
        }
        let digest: [u8; 32] = sha2::Sha256::digest(token.as_bytes()).into();
        if let Some(v) = self.verified.get(&digest) {
            let leeway = LEEWAY_SECONDS as i64;
            if now > v.exp.saturating_add(leeway) {
                self.verified.invalidate(&digest);
                return Err(AuthError::Expired);
            }
            if v.nbf.is_some_and(|nbf| now < nbf.saturating_sub(leeway)) {
                return Err(AuthError::NotYetValid);
            }
            return Ok(v.principal);
        }
        let (claims, principal) = self.check_signature(token, today)?;
        self.verified.insert(
            digest,
            Verified {
                principal: principal.clone(),
                exp: claims.0,
                nbf: claims.1,
            },
        );
        Ok(principal)
    }

    /// The full check: algorithm, key, signature, issuer, audience, times.
    fn check_signature(
        &self,
        token: &str,
        today: chrono::NaiveDate,
    ) -> Result<((i64, Option<i64>), Principal), AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::Algorithm)?;
        if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
            return Err(AuthError::Algorithm);
        }
        // A token that names its key (`kid`) is checked only against the key
        // of that name, so a key id the service does not know is refused
        // (a PEM key is named by TIDBOK_JWT_PUBLIC_KEY_KID; without it, it
        // verifies only tokens that name no key). A token without `kid` is
        // tried against every key of its algorithm.
        let candidates = self.keys.iter().filter(|k| {
            k.algorithm == header.alg
                && match &header.kid {
                    Some(wanted) => k.kid.as_ref() == Some(wanted),
                    None => true,
                }
        });
        let mut last = AuthError::NoKey;
        for candidate in candidates {
            let mut validation = Validation::new(header.alg);
            validation.set_issuer(&[&self.issuer]);
            validation.set_audience(&[&self.audience]);
            validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
            validation.validate_nbf = true;
            validation.leeway = LEEWAY_SECONDS;
            match jsonwebtoken::decode::<Claims>(token, &candidate.key, &validation) {
                Ok(data) => {
                    let times = (data.claims.exp, data.claims.nbf);
                    return principal(data.claims, today).map(|p| (times, p));
                }
                Err(e) => last = AuthError::Invalid(e),
            }
        }
        Err(last)
    }
}

fn principal(claims: Claims, today: chrono::NaiveDate) -> Result<Principal, AuthError> {
    match claims.role {
        Role::Resident => {
            let pnr = claims.pnr.as_deref().ok_or(AuthError::Claims)?;
            let pnr = PersonalIdentityNumber::parse(pnr, today).map_err(|_| AuthError::Claims)?;
            let name = claims.name.as_deref().and_then(|n| PersonName::parse(n).ok());
            Ok(Principal::Resident { pnr, name })
        }
        role => {
            let id = Uuid::parse_str(&claims.sub).map_err(|_| AuthError::Claims)?;
            Ok(Principal::Staff {
                id: StaffId::from_uuid(id),
                role,
                units: claims.units.into_iter().map(UnitId::from_uuid).collect(),
                region: claims.region.map(RegionId::from_uuid),
                name: claims.name.filter(|n| n.chars().count() <= 200),
            })
        }
    }
}

/// Signs tokens for the dev login with a P-256 key made at start-up.
pub struct DevSigner {
    key: EncodingKey,
    issuer: String,
    audience: String,
}

/// How long a dev-login token lives.
pub const DEV_TOKEN_SECONDS: i64 = 8 * 3600;

impl DevSigner {
    /// A fresh key pair: the signer, and the key that verifies its tokens.
    pub fn generate(issuer: &str, audience: &str) -> anyhow::Result<(Self, VerificationKey)> {
        use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
        let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
        let private_pem = secret.to_pkcs8_pem(LineEnding::LF)?;
        let public_pem = secret.public_key().to_public_key_pem(LineEnding::LF)?;
        let key = EncodingKey::from_ec_pem(private_pem.as_bytes())?;
        let verification = VerificationKey {
            kid: Some("tidbok-dev".into()),
            algorithm: Algorithm::ES256,
            key: DecodingKey::from_ec_pem(public_pem.as_bytes())?,
        };
        Ok((
            Self {
                key,
                issuer: issuer.to_owned(),
                audience: audience.to_owned(),
            },
            verification,
        ))
    }

    pub fn sign(
        &self,
        sub: String,
        role: Role,
        units: Vec<Uuid>,
        region: Option<Uuid>,
        pnr: Option<String>,
        name: Option<String>,
    ) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: serde_json::Value::String(self.audience.clone()),
            sub,
            exp: now + DEV_TOKEN_SECONDS,
            nbf: Some(now),
            iat: Some(now),
            role,
            units,
            region,
            pnr,
            name,
        };
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some("tidbok-dev".into());
        Ok(jsonwebtoken::encode(&header, &claims, &self.key)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tidbok_domain::time::local_date;

    fn setup() -> (Authenticator, String) {
        let (signer, key) = DevSigner::generate("iss", "aud").unwrap();
        let auth = Authenticator::new("iss", "aud", vec![key]);
        let token = signer
            .sign(
                "dev-anna".into(),
                Role::Resident,
                vec![],
                None,
                Some("19121212-1212".into()),
                None,
            )
            .unwrap();
        (auth, token)
    }

    fn today() -> chrono::NaiveDate {
        local_date(chrono::Utc::now())
    }

    #[test]
    fn a_remembered_token_still_expires() {
        let (auth, token) = setup();
        let now = chrono::Utc::now().timestamp();
        assert!(auth.verify_at(&token, today(), now).is_ok());
        assert!(auth.verify_at(&token, today(), now + 60).is_ok(), "remembered");
        let after = now + DEV_TOKEN_SECONDS + LEEWAY_SECONDS as i64 + 1;
        assert!(matches!(
            auth.verify_at(&token, today(), after),
            Err(AuthError::Expired)
        ));
    }

    #[test]
    fn a_remembered_token_is_not_valid_before_its_nbf() {
        let (auth, token) = setup();
        let now = chrono::Utc::now().timestamp();
        assert!(auth.verify_at(&token, today(), now).is_ok());
        let before = now - LEEWAY_SECONDS as i64 - 60;
        assert!(matches!(
            auth.verify_at(&token, today(), before),
            Err(AuthError::NotYetValid)
        ));
    }

    #[test]
    fn only_the_exact_verified_bytes_are_remembered() {
        let (auth, token) = setup();
        assert!(auth.verify(&token, today()).is_ok());
        // Another payload with the verified signature: checked afresh, refused.
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = {
            use base64::Engine;
            let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let mut claims: serde_json::Value = serde_json::from_slice(&engine.decode(parts[1]).unwrap()).unwrap();
            claims["role"] = serde_json::json!("regional_admin");
            engine.encode(serde_json::to_vec(&claims).unwrap())
        };
        parts[1] = &forged;
        assert!(auth.verify(&parts.join("."), today()).is_err());
    }
}
