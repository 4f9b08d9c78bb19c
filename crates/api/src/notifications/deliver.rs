//! Delivery transports: e-mail over SMTP (lettre), SMS through an HTTP
//! gateway (JSON body, bearer key), and a dev folder that `make run` uses so
//! a new user sees what would have been sent. Errors carry a status class,
//! never the recipient or the text.

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;
use tidbok_domain::ports::Outgoing;

/// Why a delivery failed: worth retrying, or never going to work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error("temporary failure: {0}")]
    Temporary(String),
    #[error("permanent failure: {0}")]
    Permanent(String),
}

#[async_trait]
pub trait Transport: Send + Sync {
    async fn send(&self, entry: &Outgoing) -> Result<(), DeliveryError>;
}

/// E-mail over SMTP.
pub struct SmtpTransport {
    mailer: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpTransport {
    /// `url` as lettre reads it: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host:465`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self {
            mailer,
            from: from.parse()?,
        })
    }
}

#[async_trait]
impl Transport for SmtpTransport {
    async fn send(&self, entry: &Outgoing) -> Result<(), DeliveryError> {
        let to = entry
            .recipient
            .parse()
            .map_err(|_| DeliveryError::Permanent("invalid address".into()))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&entry.subject)
            // The outbox id makes a resend after a crash recognisable downstream.
            .message_id(Some(format!("<{}@tidbok>", entry.id)));
        let message = match &entry.calendar {
            // Rule 18: the booking's calendar file beside the text.
            Some(calendar) => {
                use lettre::message::{Attachment, MultiPart, SinglePart};
                let method = if calendar.contains("METHOD:CANCEL") {
                    "CANCEL"
                } else {
                    "REQUEST"
                };
                let kind = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                    .map_err(|_| DeliveryError::Permanent("calendar content type".into()))?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(entry.body.clone()))
                        .singlepart(Attachment::new("tid.ics".into()).body(calendar.clone(), kind)),
                )
            }
            None => builder.header(ContentType::TEXT_PLAIN).body(entry.body.clone()),
        }
        .map_err(|_| DeliveryError::Permanent("message could not be built".into()))?;
        match self.mailer.send(message).await {
            Ok(_) => Ok(()),
            Err(e) => {
                let code = e.status().map(|c| c.to_string()).unwrap_or_else(|| "connection".into());
                if e.is_permanent() {
                    Err(DeliveryError::Permanent(format!("smtp {code}")))
                } else {
                    Err(DeliveryError::Temporary(format!("smtp {code}")))
                }
            }
        }
    }
}

/// SMS through an HTTP gateway: `POST url` with `{"id", "to", "from", "message"}`,
/// `Authorization: Bearer <key>` and `Idempotency-Key: <id>`.
pub struct SmsGateway {
    client: reqwest::Client,
    url: String,
    key: String,
    sender: String,
}

impl SmsGateway {
    pub fn new(url: &str, key: &str, sender: &str) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(15)).build()?;
        Ok(Self {
            client,
            url: url.to_owned(),
            key: key.to_owned(),
            sender: sender.to_owned(),
        })
    }
}

#[async_trait]
impl Transport for SmsGateway {
    async fn send(&self, entry: &Outgoing) -> Result<(), DeliveryError> {
        let response = self
            .client
            .post(&self.url)
            .bearer_auth(&self.key)
            .header("Idempotency-Key", entry.id.to_string())
            .json(
                &serde_json::json!({"id": entry.id, "to": entry.recipient, "from": self.sender, "message": entry.body}),
            )
            .send()
            .await
            .map_err(|e| {
                DeliveryError::Temporary(if e.is_timeout() {
                    "timeout".into()
                } else {
                    "connection".into()
                })
            })?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else if status.is_client_error() && status.as_u16() != 429 && status.as_u16() != 408 {
            Err(DeliveryError::Permanent(format!("http {}", status.as_u16())))
        } else {
            Err(DeliveryError::Temporary(format!("http {}", status.as_u16())))
        }
    }
}

/// Writes each message as a text file: the "local sink" of `make run`.
pub struct FolderSink {
    folder: PathBuf,
}

impl FolderSink {
    pub fn new(folder: impl Into<PathBuf>) -> std::io::Result<Self> {
        let folder = folder.into();
        std::fs::create_dir_all(&folder)?;
        Ok(Self { folder })
    }
}

#[async_trait]
impl Transport for FolderSink {
    async fn send(&self, entry: &Outgoing) -> Result<(), DeliveryError> {
        let name = format!("{}-{}.txt", entry.id, entry.channel);
        let text = format!(
            "To: {}\nChannel: {}\nSubject: {}\n\n{}",
            entry.recipient, entry.channel, entry.subject, entry.body
        );
        tokio::fs::write(self.folder.join(name), text)
            .await
            .map_err(|_| DeliveryError::Temporary("file".into()))?;
        if let Some(calendar) = &entry.calendar {
            tokio::fs::write(
                self.folder.join(format!("{}-{}.ics", entry.id, entry.channel)),
                calendar,
            )
            .await
            .map_err(|_| DeliveryError::Temporary("file".into()))?;
        }
        Ok(())
    }
}
