//! What the bench knows about the machine: its description for the report,
//! and CPU time used by a process, by a process and its children (the
//! PostgreSQL server's backends), and by the whole machine, from /proc.
//!
//! Not for: measuring requests (see `load.rs`); Linux only.

use std::collections::HashMap;
use std::process::Command;

pub fn machine_info() -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    let processors = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let nproc = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .map(|l| l.trim_start_matches("MemTotal:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into());
    vec![
        (
            "nproc".into(),
            format!("{nproc} (processors in /proc/cpuinfo: {processors})"),
        ),
        ("CPU".into(), model),
        ("memory".into(), mem),
        ("kernel".into(), kernel),
        ("load average at start".into(), load),
    ]
}

/// Clock ticks per second of /proc/PID/stat times.
pub fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// CPU time (user + system, seconds) used so far by a process.
pub fn cpu_secs(pid: &str, ticks: f64) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name (which may hold spaces) in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after ')'.
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / ticks)
}

/// CPU time (seconds, all processors) the whole machine was busy so far.
pub fn machine_busy_secs(ticks: f64) -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let f: Vec<f64> = line
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is in user).
    let total: f64 = f.iter().take(8).sum();
    let idle = f.get(3)? + f.get(4).unwrap_or(&0.0);
    Some((total - idle) / ticks)
}

/// The parent of a process.
pub fn parent_pid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat[stat.rfind(')')? + 2..]
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// CPU time (seconds) of a process and of each of its children now (the
/// PostgreSQL server: the postmaster and its backends and workers).
pub fn tree_cpu(root: u32, ticks: f64) -> HashMap<u32, f64> {
    let mut out = HashMap::new();
    if let Some(t) = cpu_secs(&root.to_string(), ticks) {
        out.insert(root, t);
    }
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        if parent_pid(pid) == Some(root)
            && let Some(t) = cpu_secs(&pid.to_string(), ticks)
        {
            out.insert(pid, t);
        }
    }
    out
}

/// CPU time used between two [`tree_cpu`] readings (a process that started
/// in between counts whole; one that ended in between is lost).
pub fn tree_cpu_used(before: &HashMap<u32, f64>, after: &HashMap<u32, f64>) -> f64 {
    after
        .iter()
        .map(|(pid, t)| t - before.get(pid).copied().unwrap_or(0.0))
        .sum()
}
