//! Real local sinks for notifications: a minimal SMTP server and an HTTP
//! endpoint standing in for the SMS gateway. They record what arrives.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Received e-mails, as raw DATA text.
#[derive(Clone, Default)]
pub struct SmtpSink {
    pub port: u16,
    pub mails: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink {
            port: listener.local_addr().unwrap().port(),
            mails: Default::default(),
        };
        let mails = sink.mails.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let mails = mails.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    let mut data: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(body) = data.as_mut() {
                            if line == "." {
                                mails.lock().unwrap().push(std::mem::take(body));
                                data = None;
                                let _ = write.write_all(b"250 OK queued\r\n").await;
                            } else {
                                body.push_str(&line);
                                body.push('\n');
                            }
                            continue;
                        }
                        let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                            "DATA" => {
                                data = Some(String::new());
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                return;
                            }
                            _ => b"502 not implemented\r\n",
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn mails(&self) -> Vec<String> {
        self.mails.lock().unwrap().clone()
    }
}

/// What the SMS sink got: the Authorization header and the JSON body of each request.
pub type Received = Arc<Mutex<Vec<(Option<String>, serde_json::Value)>>>;

/// An SMS gateway: records each JSON body and answers with `status`
/// (settable; 0 holds the request unanswered for a minute).
#[derive(Clone)]
pub struct SmsSink {
    pub port: u16,
    pub received: Received,
    pub status: Arc<AtomicU16>,
}

impl SmsSink {
    pub async fn start() -> SmsSink {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = SmsSink {
            port,
            received: Default::default(),
            status: Arc::new(AtomicU16::new(202)),
        };
        let (received, status) = (sink.received.clone(), sink.status.clone());
        let server = actix_web::HttpServer::new(move || {
            let (received, status) = (received.clone(), status.clone());
            actix_web::App::new().default_service(actix_web::web::to(
                move |req: actix_web::HttpRequest, body: actix_web::web::Bytes| {
                    let (received, status) = (received.clone(), status.clone());
                    async move {
                        let auth = req
                            .headers()
                            .get("authorization")
                            .map(|v| v.to_str().unwrap_or_default().to_owned());
                        let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
                        received.lock().unwrap().push((auth, json));
                        if status.load(Ordering::SeqCst) == 0 {
                            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                        }
                        let code =
                            actix_web::http::StatusCode::from_u16(status.load(Ordering::SeqCst).max(200)).unwrap();
                        actix_web::HttpResponse::build(code).finish()
                    }
                },
            ))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        sink
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/sms", self.port)
    }

    pub fn fail_with(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    pub fn bodies(&self) -> Vec<serde_json::Value> {
        self.received.lock().unwrap().iter().map(|(_, b)| b.clone()).collect()
    }
}

/// Polls `check` until it holds or ten seconds pass.
pub async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}
