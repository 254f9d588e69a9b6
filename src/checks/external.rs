//! External links (`medsite check --external`): every `http(s)` link of
//! every page body and every source URL, each address checked once, several
//! at a time but never more than `per_host` at once on one host; `HEAD`
//! first, `GET` when the server does not allow `HEAD`; a timeout per
//! request, retries with a growing pause on network errors, timeouts, 5xx
//! and 429. Results with an HTTP status are kept in a JSON cache file and
//! reused while younger than `cache_hours`.

use super::{BodyAt, CheckOptions, Input};
use crate::config::checks::ExternalConfig;
use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// The result for one external address.
#[derive(Debug, Clone, Serialize)]
pub struct LinkEntry {
    /// The address checked (without `#fragment`).
    pub url: String,
    /// The final HTTP status, if the server answered.
    pub status: Option<u16>,
    /// Why there is no status (timeout, connection refused...).
    pub error: Option<String>,
    /// Whether the link works (a 2xx or 3xx answer).
    pub ok: bool,
    /// Whether the result came from the cache file.
    pub cached: bool,
    /// Files that link to it.
    pub files: Vec<PathBuf>,
}

/// One entry of the cache file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    status: u16,
    /// When it was checked (RFC 3339).
    checked: String,
}

type Cache = BTreeMap<String, CacheEntry>;

/// What one check found.
#[derive(Debug, Clone)]
enum Outcome {
    Status(u16),
    Failed(String),
}

/// Checks the external links of the site, as its pages' facts list them.
pub fn check(
    input: &Input,
    cfg: &ExternalConfig,
    opts: &CheckOptions,
) -> (Vec<Diagnostic>, Vec<LinkEntry>) {
    let mut diagnostics = Vec::new();
    let places = collect(input, cfg);
    let now = jiff::Timestamp::now();
    let max_age = (cfg.cache_hours.max(0.0) * 3600.0) as i64;
    let mut cache = match &opts.cache_file {
        Some(path) => load_cache(path, &mut diagnostics),
        None => Cache::new(),
    };
    // Fresh results from the cache; the others get checked.
    let mut outcomes: BTreeMap<&str, (Outcome, bool)> = BTreeMap::new();
    let mut to_check: Vec<&str> = Vec::new();
    for url in places.keys() {
        match cache
            .get(url.as_str())
            .filter(|e| is_fresh(e, now, max_age))
        {
            Some(e) => {
                outcomes.insert(url, (Outcome::Status(e.status), true));
            }
            None => to_check.push(url),
        }
    }
    let checked = check_all(&to_check, cfg);
    let stamp = now.to_string();
    for (url, outcome) in to_check.iter().zip(checked) {
        if let Outcome::Status(s) = outcome
            && s < 500
            && s != 429
        {
            cache.insert(
                (*url).to_owned(),
                CacheEntry {
                    status: s,
                    checked: stamp.clone(),
                },
            );
        }
        outcomes.insert(url, (outcome, false));
    }
    if let Some(path) = &opts.cache_file {
        cache.retain(|_, e| is_fresh(e, now, max_age));
        if let Err(e) = save_cache(path, &cache) {
            diagnostics.push(
                Diagnostic::warning(path, format!("cannot write the link cache: {e}"))
                    .with_help("the links were checked; the next run checks them all again"),
            );
        }
    }

    let mut entries = Vec::new();
    for (url, (outcome, cached)) in outcomes {
        let ps = &places[url];
        let (status, error) = match &outcome {
            Outcome::Status(s) => (Some(*s), None),
            Outcome::Failed(e) => (None, Some(e.clone())),
        };
        let ok = status.is_some_and(|s| s < 400);
        if !ok {
            for p in ps {
                diagnostics.push(describe(p.diagnostic.clone(), &p.written, &outcome));
            }
        }
        let mut files: Vec<PathBuf> = ps.iter().map(|p| p.diagnostic.file.clone()).collect();
        files.sort();
        files.dedup();
        entries.push(LinkEntry {
            url: url.to_owned(),
            status,
            error,
            ok,
            cached,
            files,
        });
    }
    (diagnostics, entries)
}

/// A place where a link is written: a diagnostic already pointing there.
struct Place {
    diagnostic: Diagnostic,
    written: String,
}

/// Every external address of the site → where it is written.
fn collect(input: &Input, cfg: &ExternalConfig) -> BTreeMap<String, Vec<Place>> {
    let mut map: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    let mut add = |written: &str, d: Diagnostic| {
        let w = written.trim();
        let lower = w.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return;
        }
        if cfg
            .skip
            .iter()
            .any(|s| !s.is_empty() && w.starts_with(s.as_str()))
        {
            return;
        }
        let url = w.split('#').next().unwrap_or(w).to_owned();
        map.entry(url).or_default().push(Place {
            diagnostic: d,
            written: w.to_owned(),
        });
    };
    let site = input.site;
    let bodies = site
        .pages
        .iter()
        .zip(&input.bodies.pages)
        .zip(input.pages)
        .map(|((p, b), f)| (p.display(), b, f))
        .chain(
            site.sections
                .iter()
                .zip(&input.bodies.sections)
                .zip(input.sections)
                .filter(|((s, _), _)| s.has_file)
                .map(|((s, b), f)| (s.display.clone(), b, f)),
        );
    for (file, body, facts) in bodies {
        let at = BodyAt::new(&file, body);
        for l in &facts.links {
            add(&l.dest, at.at(Diagnostic::warning(&file, ""), l.offset));
        }
        for i in &facts.images {
            add(&i.dest, at.at(Diagnostic::warning(&file, ""), i.offset));
        }
    }
    for p in &site.pages {
        for s in p.meta.sources.iter().flatten() {
            if let Some(url) = &s.url {
                add(
                    url,
                    p.front.at(Diagnostic::warning(p.display(), ""), url.pos),
                );
            }
        }
    }
    map
}

/// Fills in the message of a broken link's diagnostic.
fn describe(mut d: Diagnostic, url: &str, outcome: &Outcome) -> Diagnostic {
    match outcome {
        Outcome::Status(s) if matches!(s, 401 | 403 | 429) => {
            d.severity = crate::diagnostics::Severity::Note;
            d.id = Some("external-link-refused");
            d.message = format!(
                "the server of {url} refused the check ({})",
                status_text(*s)
            );
            d.with_help("some sites refuse automated checks; open the link in a browser to make sure it works")
        }
        Outcome::Status(s) => {
            d.id = Some("external-link-broken");
            d.message = format!("the link {url} is broken: {}", status_text(*s));
            d.with_help("open it in a browser; if the page has moved, link to its new address, otherwise remove the link")
        }
        Outcome::Failed(e) => {
            d.id = Some("external-link-unreachable");
            d.message = format!("the link {url} could not be reached: {e}");
            d.with_help("open it in a browser; if the site is gone, remove the link or link to another source")
        }
    }
}

fn status_text(s: u16) -> String {
    match ureq::http::StatusCode::from_u16(s)
        .ok()
        .and_then(|c| c.canonical_reason())
    {
        Some(r) => format!("{s} {r}"),
        None => format!("status {s}"),
    }
}

fn is_fresh(e: &CacheEntry, now: jiff::Timestamp, max_age_secs: i64) -> bool {
    match e.checked.parse::<jiff::Timestamp>() {
        Ok(t) => {
            let age = now.as_second() - t.as_second();
            (0..max_age_secs).contains(&age)
        }
        Err(_) => false,
    }
}

fn load_cache(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Cache {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Cache::new(),
        Err(e) => {
            diagnostics.push(
                Diagnostic::warning(path, format!("cannot read the link cache: {e}"))
                    .with_help("all links are checked again"),
            );
            return Cache::new();
        }
    };
    match serde_json::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            diagnostics.push(
                Diagnostic::warning(path, format!("the link cache is not valid JSON: {e}"))
                    .with_help("all links are checked again, and the file is written anew"),
            );
            Cache::new()
        }
    }
}

fn save_cache(path: &Path, cache: &Cache) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_string_pretty(cache).map_err(std::io::Error::other)?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, json + "\n")?;
    std::fs::rename(&tmp, path)
}

/// `https://Example.org:8443/a?b` → `example.org:8443`.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.to_ascii_lowercase()
}

struct Schedule {
    pending: VecDeque<usize>,
    active: HashMap<String, usize>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Checks `urls` with at most `cfg.concurrency` requests at a time and at
/// most `cfg.per_host` on one host; the outcomes in the order of `urls`.
fn check_all(urls: &[&str], cfg: &ExternalConfig) -> Vec<Outcome> {
    if urls.is_empty() {
        return Vec::new();
    }
    let timeout = Duration::try_from_secs_f64(cfg.timeout_secs.clamp(0.05, 600.0))
        .unwrap_or(Duration::from_secs(10));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!(
            "medsite/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let hosts: Vec<String> = urls.iter().map(|u| host_of(u)).collect();
    let per_host = cfg.per_host.max(1);
    let workers = cfg.concurrency.clamp(1, 64).min(urls.len());
    let schedule = Mutex::new(Schedule {
        pending: (0..urls.len()).collect(),
        active: HashMap::new(),
    });
    let wake = Condvar::new();
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let job = {
                        let mut st = lock(&schedule);
                        loop {
                            if st.pending.is_empty() {
                                break None;
                            }
                            let Schedule { pending, active } = &mut *st;
                            let free = pending.iter().position(|&i| {
                                active.get(&hosts[i]).copied().unwrap_or(0) < per_host
                            });
                            if let Some(pos) = free
                                && let Some(i) = pending.remove(pos)
                            {
                                *active.entry(hosts[i].clone()).or_default() += 1;
                                break Some(i);
                            }
                            st = wake.wait(st).unwrap_or_else(|e| e.into_inner());
                        }
                    };
                    let Some(i) = job else {
                        wake.notify_all();
                        break;
                    };
                    let outcome = check_one(&agent, urls[i], cfg, timeout);
                    lock(&results)[i] = Some(outcome);
                    {
                        let mut st = lock(&schedule);
                        if let Some(n) = st.active.get_mut(&hosts[i]) {
                            *n = n.saturating_sub(1);
                        }
                    }
                    wake.notify_all();
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::Failed("not checked".to_owned())))
        .collect()
}

/// One address, with retries.
fn check_one(agent: &ureq::Agent, url: &str, cfg: &ExternalConfig, timeout: Duration) -> Outcome {
    let mut delay = Duration::try_from_secs_f64(cfg.retry_delay_secs.clamp(0.0, 60.0))
        .unwrap_or(Duration::from_secs(1));
    let mut attempt = 0;
    loop {
        let (outcome, retryable) = attempt_once(agent, url, timeout);
        if !retryable || attempt >= cfg.retries {
            return outcome;
        }
        attempt += 1;
        std::thread::sleep(delay);
        delay = delay.saturating_mul(2);
    }
}

/// `HEAD`, then `GET` when the server answers 405 or 501. Returns the
/// outcome and whether trying again may help.
fn attempt_once(agent: &ureq::Agent, url: &str, timeout: Duration) -> (Outcome, bool) {
    let result = match agent.head(url).call() {
        Ok(r) if matches!(r.status().as_u16(), 405 | 501) => agent.get(url).call(),
        other => other,
    };
    match result {
        Ok(r) => {
            let s = r.status().as_u16();
            (Outcome::Status(s), s >= 500 || s == 429)
        }
        Err(e) => {
            use ureq::Error as E;
            let (why, retry) = match &e {
                E::Timeout(_) => (format!("no answer within {} s", fmt_secs(timeout)), true),
                E::HostNotFound => ("the host name was not found".to_owned(), false),
                E::BadUri(_) | E::Http(_) => ("not a valid address".to_owned(), false),
                E::Io(io) => (io.to_string(), true),
                E::ConnectionFailed | E::Protocol(_) => (e.to_string(), true),
                E::TooManyRedirects => ("too many redirects".to_owned(), false),
                other => (other.to_string(), false),
            };
            (Outcome::Failed(why), retry)
        }
    }
}

fn fmt_secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://Example.org/a"), "example.org");
        assert_eq!(host_of("http://127.0.0.1:8080?x"), "127.0.0.1:8080");
        assert_eq!(host_of("https://user@host.no#x"), "host.no");
    }

    #[test]
    fn freshness() {
        let now: jiff::Timestamp = "2026-05-02T12:00:00Z".parse().unwrap();
        let e = |t: &str| CacheEntry {
            status: 200,
            checked: t.to_owned(),
        };
        assert!(is_fresh(&e("2026-05-02T00:00:00Z"), now, 86400));
        assert!(!is_fresh(&e("2026-05-01T11:00:00Z"), now, 86400));
        assert!(!is_fresh(&e("2026-05-03T00:00:00Z"), now, 86400));
        assert!(!is_fresh(&e("yesterday"), now, 86400));
    }
}
