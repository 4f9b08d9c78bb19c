//! Tidbok's proof harness: what `make chaos`, `make bench` and their bounded
//! versions in `make test` run. Everything here drives the real `tidbok`
//! binary as a child process over loopback — never the server's code in the
//! harness's own process — so crashes, restarts and the whole HTTP + auth
//! stack are part of what is measured and checked.

pub mod load;
pub mod pg;
pub mod region;
pub mod server;
pub mod stats;
pub mod tokens;

use std::path::PathBuf;

/// The repository's root (the harness runs from a checkout).
pub fn repo_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Where reports, histories and server logs go (ignored by git).
pub fn artifacts(sub: &str) -> anyhow::Result<PathBuf> {
    let dir = repo_root().join("test-artifacts").join(sub);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
