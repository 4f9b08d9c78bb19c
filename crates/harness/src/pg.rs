//! A throwaway PostgreSQL cluster (initdb + pg_ctl) on its own port and
//! folder, so a run can stop and start *its* database without touching the
//! machine's shared one. As root the tools run as the `postgres` user.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    root: PathBuf,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
    settings: Vec<String>,
}

/// Settings for a run that only needs a database to crash and recover
/// (fsync off: a stop of the server is not a power cut).
pub const FAST: &[&str] = &["fsync=off", "full_page_writes=off"];

/// Settings for the benchmark: durable commits, as in production, and
/// memory for a region's tables.
pub const DURABLE: &[&str] = &["shared_buffers=1GB", "effective_cache_size=4GB", "max_wal_size=4GB"];

impl Cluster {
    /// initdb and start a new cluster in a temporary folder, with
    /// `settings` (`name=value`) on top of PostgreSQL's defaults.
    pub fn create(settings: &[&str]) -> anyhow::Result<Self> {
        let bin = bin_dir()?;
        let root = std::env::temp_dir().join(format!("tidbok-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&root)?;
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown").arg("postgres:postgres").arg(&root))?;
        }
        let cluster = Self {
            root,
            bin,
            port: crate::free_port()?,
            as_postgres,
            settings: settings.iter().map(|s| (*s).to_owned()).collect(),
        };
        cluster.tool(
            "initdb",
            &[
                "-D",
                &cluster.data(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )?;
        cluster.start()?;
        Ok(cluster)
    }

    fn data(&self) -> String {
        self.root.join("data").display().to_string()
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// The folder of the cluster's unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.root
    }

    pub fn log_file(&self) -> PathBuf {
        self.root.join("postgres.log")
    }

    pub fn start(&self) -> anyhow::Result<()> {
        let mut options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
            self.port,
            self.root.display()
        );
        for s in &self.settings {
            options.push_str(" -c ");
            options.push_str(s);
        }
        self.tool(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &self.log_file().display().to_string(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        )
    }

    /// Stops the cluster and removes its folder, and removes `work` too, when
    /// this process is interrupted (Ctrl-C) or terminated (SIGTERM), where
    /// `Drop` would not run.
    pub fn clean_up_on_interrupt(cluster: Option<&Self>, work: std::path::PathBuf) {
        let stop = cluster.map(|c| Self {
            root: c.root.clone(),
            bin: c.bin.clone(),
            port: c.port,
            as_postgres: c.as_postgres,
            settings: Vec::new(),
        });
        tokio::spawn(async move {
            // Ctrl-C, or `kill` / `timeout` (SIGTERM).
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            let terminated = async {
                match term.as_mut() {
                    Some(t) => t.recv().await,
                    None => std::future::pending().await,
                }
            };
            let code = tokio::select! {
                r = tokio::signal::ctrl_c() => if r.is_ok() { 130 } else { return },
                _ = terminated => 143,
            };
            drop(stop);
            let _ = std::fs::remove_dir_all(&work);
            std::process::exit(code);
        });
    }

    /// Stops like a crash: no checkpoint, every connection cut.
    pub fn stop_immediate(&self) -> anyhow::Result<()> {
        self.tool("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"])
    }

    fn tool(&self, name: &str, args: &[&str]) -> anyhow::Result<()> {
        let program = self.bin.join(name);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        cmd.args(args).current_dir(&self.root);
        run(&mut cmd)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.tool("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `$PG_BIN_DIR`, else the newest `/usr/lib/postgresql/*/bin` (Debian).
fn bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("PG_BIN_DIR") {
        return Ok(dir.into());
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL's server binaries (set PG_BIN_DIR)")?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            Path::new(&bin.join("initdb")).exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, b)| b)
        .context("no initdb under /usr/lib/postgresql")
}
