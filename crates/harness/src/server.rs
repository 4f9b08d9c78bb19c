//! The `tidbok` binary as a child process: started, `kill -9`ed, restarted on
//! the same port, its log appended to a file and its peak memory read.

use anyhow::{bail, Context};
use std::fs::OpenOptions;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub name: String,
    bin: PathBuf,
    env: Vec<(String, String)>,
    log: PathBuf,
    pub port: u16,
    child: Option<Child>,
    /// How many times it was started.
    pub starts: u32,
}

impl Server {
    pub fn new(name: &str, bin: PathBuf, env: Vec<(String, String)>, log: PathBuf) -> anyhow::Result<Self> {
        Ok(Self {
            name: name.into(),
            bin,
            env,
            log,
            port: crate::free_port()?,
            child: None,
            starts: 0,
        })
    }

    /// Another binary with this one's environment, on a port of its own
    /// (not started).
    pub fn twin(&self, name: &str, bin: PathBuf, log: PathBuf) -> anyhow::Result<Self> {
        Self::new(name, bin, self.env.clone(), log)
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn start(&mut self) -> anyhow::Result<()> {
        let log = OpenOptions::new().create(true).append(true).open(&self.log)?;
        let child = Command::new(&self.bin)
            .arg("serve")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("TIDBOK_PORT", self.port.to_string())
            .stdout(Stdio::from(log.try_clone()?))
            .stderr(Stdio::from(log))
            .spawn()
            .with_context(|| format!("starting {}", self.bin.display()))?;
        self.child = Some(child);
        self.starts += 1;
        Ok(())
    }

    /// SIGKILL: no shutdown hook, no draining, open transactions cut off.
    pub fn kill9(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            child.kill()?;
            child.wait()?;
        }
        Ok(())
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Peak resident set size so far (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// CPU time the process has used so far (user and system), from
    /// `/proc/<pid>/stat`: what a request costs the server, whatever else
    /// the host is doing meanwhile.
    pub fn cpu_time(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid()?)).ok()?;
        cpu_ticks(&stat).map(|ticks| Duration::from_millis(ticks * 1000 / USER_HZ))
    }

    /// Waits until `/readyz` answers 200; returns how long that took.
    pub async fn wait_ready(&mut self, client: &reqwest::Client, timeout: Duration) -> anyhow::Result<Duration> {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if let Ok(r) = client.get(format!("{}/readyz", self.base())).send().await {
                if r.status() == 200 {
                    return Ok(started.elapsed());
                }
            }
            if self.child.is_some() && !self.is_running() {
                bail!("{} exited; see {}", self.name, self.log.display());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!(
            "{} was not ready within {timeout:?}; see {}",
            self.name,
            self.log.display()
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.kill9();
    }
}

/// The unit of `/proc/<pid>/stat`'s times: fixed at 100 by Linux's ABI
/// whatever the kernel's own tick rate.
const USER_HZ: u64 = 100;

/// utime + stime (fields 14 and 15) of a `/proc/<pid>/stat` line. The
/// command name (field 2) is parenthesised and may hold spaces, so fields
/// are counted after its closing parenthesis.
fn cpu_ticks(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(user + system)
}

#[cfg(test)]
mod tests {
    use super::cpu_ticks;

    #[test]
    fn cpu_ticks_are_user_plus_system_after_the_command_name() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
        // majflt cmajflt utime stime ...
        let stat = "4242 (tidbok serve) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 56 0 0 20 0 9 0";
        assert_eq!(cpu_ticks(stat), Some(1290));
        assert_eq!(cpu_ticks("garbage"), None);
    }
}
