//! Time from saving one page to the reload message of `medsite serve`.
//!
//! Starts the real binary (`target/release/medsite`, or `MEDSITE_BIN`) on a
//! free port for each site, opens the server-sent events stream, then
//! rewrites the body of one page again and again and measures how long it
//! takes until `data: reload` arrives. Sites: the example site, and the
//! synthetic corpus of `gen_corpus.py` in `BENCH_TOOLS` at 1,000 and 10,000
//! pages (generated into /dev/shm when python3 and the script are there).
//!
//! Then the same edits are saved through the web editor's local backend
//! (`[cms]`): the time until the save is checked and written, and until
//! the reload message.
//!
//! Then each kind of content edit, saved to disk, until the reload
//! message: front matter (title, summary, brand names, conditions, review
//! date), a page added, deleted and renamed.
//!
//! Run: `cargo build --release && cargo bench --bench serve_reload`.
//! `SERVE_BENCH_EDITS` sets the number of edits per site (default 30);
//! `SERVE_BENCH_PAGES=10000` measures only the corpus of that size.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn binary() -> PathBuf {
    std::env::var_os("MEDSITE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/medsite"))
}

fn start(root: &Path) -> (Server, String, Duration) {
    let t = Instant::now();
    // The preview is written where the system keeps temporary files. Many
    // systems keep them in memory (Debian 13, Fedora, Arch Linux); the
    // bench does so too where it can (`SERVE_BENCH_TMPDIR` to choose), so
    // that the figures measure medsite rather than one disk.
    let tmp = std::env::var_os("SERVE_BENCH_TMPDIR")
        .map(std::path::PathBuf::from)
        .or_else(|| Some(Path::new("/dev/shm").to_path_buf()).filter(|p| p.is_dir()))
        .unwrap_or_else(std::env::temp_dir);
    let mut child = Command::new(binary())
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("TMPDIR", tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run the medsite binary (cargo build --release)");
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("Serving the site on http://") {
                let _ = tx.send(rest.split('/').next().unwrap_or_default().to_owned());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(300))
        .expect("the server did not start");
    (Server(child), addr, t.elapsed())
}

fn events(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET /__medsite/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("write");
    s.set_read_timeout(Some(Duration::from_millis(2)))
        .expect("timeout");
    // Skip the response head.
    let _ = wait_for(&mut s, "\r\n\r\n", Duration::from_secs(5));
    s
}

fn wait_for(s: &mut TcpStream, needle: &str, limit: Duration) -> bool {
    let start = Instant::now();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while start.elapsed() < limit {
        match s.read(&mut buf) {
            Ok(0) => return false,
            Ok(n) => {
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
                if seen.contains(needle) {
                    return true;
                }
            }
            Err(_) => {}
        }
    }
    false
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn measure(name: &str, root: &Path, page: &Path, edits: usize) {
    let (_server, addr, startup) = start(root);
    let mut stream = events(&addr);
    let original = std::fs::read_to_string(page).expect("read the page");
    let mut times = Vec::with_capacity(edits);
    let mut missed = 0;
    for i in 0..edits {
        // Let the watcher settle so edits do not merge.
        std::thread::sleep(Duration::from_millis(150));
        let text = format!("{original}\nEdit number {i} of the benchmark.\n");
        let t = Instant::now();
        std::fs::write(page, text).expect("write the page");
        if wait_for(&mut stream, "data: reload", Duration::from_secs(10)) {
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        } else {
            missed += 1;
        }
    }
    std::fs::write(page, &original).expect("restore the page");
    times.sort_by(f64::total_cmp);
    if times.is_empty() {
        println!("{name:<22} no reload message arrived ({missed} edits)");
        return;
    }
    println!(
        "{name:<22} start {:>7.0} ms | save → reload: median {:>6.1} ms  p90 {:>6.1} ms  max {:>6.1} ms  ({} edits, {} missed)",
        startup.as_secs_f64() * 1000.0,
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        times[times.len() - 1],
        times.len(),
        missed
    );
    // The restore's own rebuild, before the editor's saves.
    std::thread::sleep(Duration::from_millis(300));
    let _ = wait_for(&mut stream, "data: reload", Duration::from_secs(10));
    measure_editor(name, &addr, &mut stream, root, page, edits);
    measure_kinds(&mut stream, page, edits.min(10));
}

/// `text` with its front matter line starting `key:` replaced by `line`.
fn with_line(text: &str, key: &str, line: &str) -> String {
    let mut out = String::with_capacity(text.len() + line.len());
    let mut done = false;
    for l in text.split_inclusive('\n') {
        if !done && l.starts_with(&format!("{key}:")) {
            out.push_str(line);
            out.push('\n');
            done = true;
        } else {
            out.push_str(l);
        }
    }
    out
}

/// The page's conditions line without its last condition (a list of
/// several written in one line, as the corpus and the example site do).
fn fewer_conditions(text: &str) -> Option<String> {
    let line = text.lines().find(|l| l.starts_with("conditions:"))?;
    let inner = line.split_once('[')?.1.rsplit_once(']')?.0;
    let kept: Vec<&str> = inner.split(',').map(str::trim).collect();
    if kept.len() < 2 {
        return None;
    }
    Some(with_line(
        text,
        "conditions",
        &format!("conditions: [{}]", kept[..kept.len() - 1].join(", ")),
    ))
}

/// Does `act` (a save, a deletion, a rename) and waits for the reload;
/// milliseconds.
fn timed(stream: &mut TcpStream, act: impl FnOnce()) -> Option<f64> {
    // Let the watcher settle, and drop any reload message of an earlier
    // rebuild, so that the one waited for is this edit's.
    let _ = wait_for(stream, "\u{0}", Duration::from_millis(150));
    let t = Instant::now();
    act();
    let ok = wait_for(stream, "data: reload", Duration::from_secs(10));
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    // A rename can arrive as two batches: let the second one pass.
    std::thread::sleep(Duration::from_millis(60));
    let _ = wait_for(stream, "data: reload", Duration::from_millis(40));
    ok.then_some(ms)
}

/// The text of the `i`th edit of one kind, if there is one.
type MakeEdit<'a> = dyn Fn(usize) -> Option<String> + 'a;

/// Each kind of content edit, `n` times, until the reload message.
fn measure_kinds(stream: &mut TcpStream, page: &Path, n: usize) {
    let original = std::fs::read_to_string(page).expect("read the page");
    let dir = page.parent().expect("a folder");
    let mut rows: Vec<(&str, Vec<f64>)> = Vec::new();
    let edits: [(&str, &MakeEdit); 5] = [
        ("front matter: title", &|i| {
            Some(with_line(
                &original,
                "title",
                &format!("title: \"Edited title {i}\""),
            ))
        }),
        ("front matter: summary", &|i| {
            Some(with_line(
                &original,
                "summary",
                &format!("summary: \"Edited summary {i}.\""),
            ))
        }),
        ("front matter: brand names", &|i| {
            Some(with_line(
                &original,
                "brand_names",
                &format!("brand_names: [\"Brandname{i}\"]"),
            ))
        }),
        ("front matter: conditions", &|i| {
            if i % 2 == 0 {
                fewer_conditions(&original)
            } else {
                Some(original.clone())
            }
        }),
        ("front matter: review date", &|i| {
            Some(with_line(
                &original,
                "last_reviewed",
                &format!("last_reviewed: 2026-11-{:02}", i % 28 + 1),
            ))
        }),
    ];
    for (kind, make) in edits {
        let mut times = Vec::new();
        for i in 0..n {
            let Some(text) = make(i) else { break };
            if let Some(ms) = timed(stream, || std::fs::write(page, &text).expect("write")) {
                times.push(ms);
            }
        }
        std::fs::write(page, &original).expect("restore the page");
        let _ = timed(stream, || {});
        rows.push((kind, times));
    }
    let (mut added, mut deleted, mut renamed) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let a = dir.join(format!("bench-added-{i}.md"));
        let b = dir.join(format!("bench-renamed-{i}.md"));
        let text = with_line(&original, "title", &format!("title: \"Added page {i}\""));
        added.extend(timed(stream, || std::fs::write(&a, &text).expect("add")));
        renamed.extend(timed(stream, || std::fs::rename(&a, &b).expect("rename")));
        deleted.extend(timed(stream, || std::fs::remove_file(&b).expect("delete")));
    }
    rows.push(("page added", added));
    rows.push(("page deleted", deleted));
    rows.push(("page renamed", renamed));
    for (kind, mut times) in rows {
        if times.is_empty() {
            println!("{:<22} {kind:<28} no reload message arrived", "");
            continue;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{:<22} {kind:<28} save → reload: median {:>6.1} ms  p90 {:>6.1} ms  max {:>6.1} ms  ({} edits)",
            "",
            percentile(&times, 0.5),
            percentile(&times, 0.9),
            times[times.len() - 1],
            times.len()
        );
    }
}

/// A request of the web editor's local backend; the HTTP status.
fn editor(addr: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "POST /__medsite/cms/bench-tab-0001 HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Saves through the web editor's local backend (`[cms]`): the time until
/// the save is checked and written (the answer), and until the reload.
fn measure_editor(
    name: &str,
    addr: &str,
    stream: &mut TcpStream,
    root: &Path,
    page: &Path,
    edits: usize,
) {
    let Ok(rel) = page.strip_prefix(root) else {
        return;
    };
    let rel = rel.to_string_lossy().replace('\\', "/");
    let original = std::fs::read_to_string(page).expect("read the page");
    let json = |s: &str| serde_json::to_string(s).expect("a string");
    let (status, _) = editor(
        addr,
        &format!(
            "{{\"action\":\"getEntry\",\"params\":{{\"path\":{}}}}}",
            json(&rel)
        ),
    );
    if status != 200 {
        println!("{name:<22} the web editor's backend is off ({status})");
        return;
    }
    let (mut saved, mut reloaded) = (Vec::new(), Vec::new());
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(150));
        let text = format!("{original}\nEdit number {i} made in the web editor.\n");
        let body = format!(
            "{{\"action\":\"persistEntry\",\"params\":{{\"dataFiles\":[{{\"path\":{},\"raw\":{},\"slug\":\"x\"}}],\"assets\":[],\"options\":{{\"newEntry\":false}}}}}}",
            json(&rel),
            json(&text)
        );
        let t = Instant::now();
        let (status, reply) = editor(addr, &body);
        if status != 200 {
            println!("{name:<22} a save was refused: {reply}");
            break;
        }
        saved.push(t.elapsed().as_secs_f64() * 1000.0);
        if wait_for(stream, "data: reload", Duration::from_secs(10)) {
            reloaded.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    std::fs::write(page, original).expect("restore the page");
    if saved.is_empty() || reloaded.is_empty() {
        return;
    }
    saved.sort_by(f64::total_cmp);
    reloaded.sort_by(f64::total_cmp);
    println!(
        "{:<22} web editor save: checked and written median {:>6.1} ms  p90 {:>6.1} ms | to reload median {:>6.1} ms  ({} saves)",
        "",
        percentile(&saved, 0.5),
        percentile(&saved, 0.9),
        percentile(&reloaded, 0.5),
        saved.len()
    );
}

fn corpus(pages: usize) -> Option<PathBuf> {
    let script = std::env::var_os("BENCH_TOOLS")
        .map(|d| std::path::PathBuf::from(d).join("gen_corpus.py"))
        .unwrap_or_default();
    if !script.is_file() {
        return None;
    }
    let dir = PathBuf::from(format!("/dev/shm/medsite-serve-bench-{pages}"));
    if !dir.join("content/medications/_index.md").is_file() {
        let ok = Command::new("python3")
            .arg(&script)
            .args([
                "--pages",
                &pages.to_string(),
                "--format",
                "neutral",
                "--force",
                "--out",
            ])
            .arg(&dir)
            .stdout(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            return None;
        }
    }
    std::fs::write(
        dir.join("site.toml"),
        "title = \"Benchmark\"\nbase_url = \"https://example.org/\"\n[cms]\nrepo = \"bench/site\"\n",
    )
    .ok()?;
    Some(dir)
}

fn first_page(root: &Path) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("content/medications"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    files.sort();
    files.into_iter().next()
}

fn main() {
    let edits: usize = std::env::var("SERVE_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    println!("medsite serve: time from saving one page to the reload message");
    println!(
        "machine: {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    // The example site, copied so the repository is not touched, into a
    // folder of its own that goes when the bench ends.
    let shm = Path::new("/dev/shm");
    let scratch = tempfile::Builder::new()
        .prefix("medsite-serve-bench-example-")
        .tempdir_in(if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        })
        .expect("create a scratch folder");
    let example = scratch.path();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ok = Command::new("cp")
        .arg("-r")
        .arg(repo.join("content"))
        .arg(repo.join("site.toml"))
        .arg(example)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    // Only the corpus of this size, when asked.
    let only: Option<usize> = std::env::var("SERVE_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok());
    if ok && only.is_none() {
        measure(
            "example site",
            example,
            &example.join("content/medications/ilaris.md"),
            edits,
        );
    }
    for pages in [1_000, 10_000]
        .into_iter()
        .filter(|p| only.is_none_or(|o| o == *p))
    {
        match corpus(pages).and_then(|d| first_page(&d).map(|p| (d, p))) {
            Some((dir, page)) => measure(&format!("corpus {pages} pages"), &dir, &page, edits),
            None => println!(
                "corpus {pages} pages: skipped (needs python3 and BENCH_TOOLS with gen_corpus.py)"
            ),
        }
    }
}
