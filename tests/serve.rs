//! `medsite serve` end to end: the real binary on a free port, a real
//! file watcher, real HTTP. Fetch a page, change its file, see the reload
//! message and the new content; break the front matter and see the error
//! overlay; fix it and see it recover; new, deleted and renamed files;
//! path traversal refused; the feedback service mounted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const ILARIS: &str = "---\ntitle: Ilaris\ngeneric_name: canakinumab\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\n---\n\n## Side effects\n\nFirst version of the text.\n";

fn start() -> Server {
    start_with_tmp(None)
}

/// Starts `medsite serve` on a new site; with `tmp`, as its TMPDIR.
fn start_with_tmp(tmp: Option<&Path>) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let w = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("site.toml", "title = \"Test site\"\n");
    w("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    w(
        "content/medications/_index.md",
        "---\ntitle: Medications\npage_kind: medication\n---\n",
    );
    w("content/medications/ilaris.md", ILARIS);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_medsite"));
    cmd.args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(tmp) = tmp {
        cmd.env("TMPDIR", tmp);
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("Serving the site on http://") {
                let _ = tx.send(rest.split('/').next().unwrap_or_default().to_owned());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server did not start");
    Server {
        child,
        addr,
        _dir: dir,
        root,
    }
}

/// A GET; returns (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let (status, _, body) = get_with_head(addr, path);
    (status, body)
}

/// A GET; returns (status, response head, body).
fn get_with_head(addr: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_owned(), body.to_owned())
}

/// The value of the header `name` in a response head (case-insensitive).
fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_owned())
    })
}

fn post_json(addr: &str, path: &str, json: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (
        status,
        text.split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default(),
    )
}

/// An open server-sent events stream.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(addr: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET /__medsite/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut e = Events {
            stream: s,
            seen: String::new(),
        };
        e.wait_for("text/event-stream", Duration::from_secs(10));
        e.seen.clear();
        e
    }

    /// Waits until `needle` arrives; returns whether it did.
    fn wait_for(&mut self, needle: &str, limit: Duration) -> bool {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        while start.elapsed() < limit {
            if let Some(i) = self.seen.find(needle) {
                self.seen.drain(..i + needle.len());
                return true;
            }
            match self.stream.read(&mut buf) {
                Ok(0) => return false,
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {}
            }
        }
        false
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const WAIT: Duration = Duration::from_secs(15);

#[test]
fn edit_break_fix_and_reload() {
    let s = start();
    let (status, body) = get(&s.addr, "/medications/ilaris/");
    assert_eq!(status, 200);
    assert!(body.contains("First version of the text."));
    assert!(
        body.contains("/__medsite/live.js"),
        "the reload script is injected"
    );

    let mut events = Events::open(&s.addr);
    write(
        &s.root,
        "content/medications/ilaris.md",
        &ILARIS.replace("First version", "Second version"),
    );
    assert!(
        events.wait_for("data: reload", WAIT),
        "a reload message after the edit"
    );
    let (_, body) = get(&s.addr, "/medications/ilaris/");
    assert!(body.contains("Second version of the text."), "{body}");

    // Broken front matter: an error event, and the overlay on every page.
    write(
        &s.root,
        "content/medications/ilaris.md",
        &ILARIS.replace("generic_name:", "generic_nam:"),
    );
    assert!(
        events.wait_for("data: error", WAIT),
        "an error message after breaking the file"
    );
    let (status, body) = get(&s.addr, "/medications/ilaris/");
    assert_eq!(status, 200, "the last good page is still served");
    assert!(body.contains("id=\"medsite-error\""), "{body}");
    assert!(
        body.contains("generic_nam"),
        "the overlay names the problem"
    );
    assert!(
        body.contains("content/medications/ilaris.md:3:1"),
        "with file and line: {body}"
    );
    let (_, home) = get(&s.addr, "/");
    assert!(
        home.contains("id=\"medsite-error\""),
        "the overlay is on every page"
    );

    // Fixed: it recovers.
    write(
        &s.root,
        "content/medications/ilaris.md",
        &ILARIS.replace("First version", "Third version"),
    );
    assert!(events.wait_for("data: reload", WAIT));
    let (_, body) = get(&s.addr, "/medications/ilaris/");
    assert!(!body.contains("medsite-error"), "{body}");
    assert!(body.contains("Third version of the text."));
}

#[test]
fn new_deleted_and_renamed_files() {
    let s = start();
    let mut events = Events::open(&s.addr);
    write(
        &s.root,
        "content/medications/colchicine.md",
        "---\ntitle: Colchicine\ngeneric_name: colchicine\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\n---\nNew page text.\n",
    );
    assert!(events.wait_for("data: reload", WAIT));
    let (status, body) = get(&s.addr, "/medications/colchicine/");
    assert_eq!(status, 200);
    assert!(body.contains("New page text."));
    let (_, list) = get(&s.addr, "/medications/");
    assert!(
        list.contains(">colchicine</a>"),
        "the listing shows the new page: {list}"
    );

    std::fs::rename(
        s.root.join("content/medications/colchicine.md"),
        s.root.join("content/medications/colchicine-tablets.md"),
    )
    .unwrap();
    assert!(events.wait_for("data: reload", WAIT));
    // Several events may arrive for a rename; wait until the new address answers.
    let start = Instant::now();
    while get(&s.addr, "/medications/colchicine-tablets/").0 != 200 && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(get(&s.addr, "/medications/colchicine-tablets/").0, 200);
    assert_eq!(get(&s.addr, "/medications/colchicine/").0, 404);

    std::fs::remove_file(s.root.join("content/medications/colchicine-tablets.md")).unwrap();
    let start = Instant::now();
    while get(&s.addr, "/medications/colchicine-tablets/").0 != 404 && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(get(&s.addr, "/medications/colchicine-tablets/").0, 404);
    let (_, list) = get(&s.addr, "/medications/");
    assert!(!list.contains(">colchicine</a>"), "{list}");
}

#[test]
fn templates_static_and_site_toml_changes_rebuild() {
    let s = start();
    let mut events = Events::open(&s.addr);
    write(
        &s.root,
        "templates/partials/review_dates.html",
        "<p class=\"custom-review\">Checked on {{ page.last_reviewed.text }}</p>\n",
    );
    assert!(events.wait_for("data: reload", WAIT));
    let (_, body) = get(&s.addr, "/medications/ilaris/");
    assert!(body.contains("Checked on 1 November 2026"), "{body}");

    write(&s.root, "static/css/extra.css", "body{color:#111}\n");
    assert!(events.wait_for("data: reload", WAIT));
    let (status, css) = get(&s.addr, "/css/extra.css");
    assert_eq!(status, 200);
    assert!(css.contains("#111"));

    write(&s.root, "site.toml", "title = \"Renamed site\"\n");
    assert!(events.wait_for("data: reload", WAIT));
    let (_, body) = get(&s.addr, "/");
    assert!(body.contains("Renamed site"));
}

#[test]
fn listing_parts_follow_front_matter_edits() {
    let s = start();
    let mut events = Events::open(&s.addr);
    write(
        &s.root,
        "site.toml",
        "title = \"Test site\"\n[listings]\nper_page = 2\n",
    );
    assert!(events.wait_for("data: reload", WAIT));
    assert_eq!(get(&s.addr, "/medications/").0, 200);
    assert_eq!(
        get(&s.addr, "/medications/page/2/").0,
        404,
        "one entry: one part"
    );

    // A front matter edit (two brand names: three entries) rebuilds the
    // listing, which now has a second part.
    write(
        &s.root,
        "content/medications/ilaris.md",
        &ILARIS.replace(
            "generic_name: canakinumab\n",
            "generic_name: canakinumab\nbrand_names: [Ilaris, Zakin]\n",
        ),
    );
    assert!(events.wait_for("data: reload", WAIT));
    let (status, part) = get(&s.addr, "/medications/page/2/");
    assert_eq!(status, 200, "{part}");
    assert!(part.contains("Zakin – see canakinumab"), "{part}");
    assert!(
        part.contains("<link rel=\"prev\" href=\"/medications/\">"),
        "{part}"
    );
    let (_, first) = get(&s.addr, "/medications/");
    assert!(
        first.contains("<link rel=\"next\" href=\"/medications/page/2/\">"),
        "{first}"
    );
    assert!(first.contains("Ilaris – see canakinumab"), "{first}");
}

#[test]
fn paths_outside_the_site_are_refused() {
    let s = start();
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/medications/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/a%5c..%5c..%5csite.toml",
    ] {
        let (status, body) = get(&s.addr, path);
        assert_eq!(status, 403, "{path}: {body}");
        assert!(!body.contains("root:"), "{path}");
    }
    assert_eq!(get(&s.addr, "/no/such/page/").0, 404);
}

#[test]
fn the_feedback_service_is_mounted() {
    let s = start();
    let (status, body) = post_json(
        &s.addr,
        "/api/feedback/visit",
        "{\"page\":\"/medications/ilaris/\"}",
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"today\":1"), "{body}");
    let (status, body) = post_json(
        &s.addr,
        "/api/feedback/rating",
        "{\"page\":\"/medications/ilaris/\",\"rating\":5}",
    );
    assert_eq!(status, 201, "{body}");
    let (status, _) = post_json(
        &s.addr,
        "/api/feedback/rating",
        "{\"page\":\"/nope/\",\"rating\":5}",
    );
    assert_eq!(status, 400);
}

#[test]
fn files_have_their_content_types() {
    let s = start();
    write(&s.root, "static/css/extra.css", "body{color:#222}\n");
    write(
        &s.root,
        "static/img/dot.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(&s.root, "static/files/data.bin", "\u{1}\u{2}");
    let deadline = Instant::now() + WAIT;
    while get(&s.addr, "/files/data.bin").0 != 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    for (path, want) in [
        ("/medications/ilaris/", "text/html; charset=utf-8"),
        ("/css/extra.css", "text/css; charset=utf-8"),
        ("/img/dot.svg", "image/svg+xml"),
        ("/files/data.bin", "application/octet-stream"),
        ("/__medsite/live.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, head, _) = get_with_head(&s.addr, path);
        assert_eq!(status, 200, "{path}: {head}");
        assert_eq!(
            header(&head, "content-type").as_deref(),
            Some(want),
            "{path}: {head}"
        );
    }
    // The reload script goes into pages only.
    let (_, css) = get(&s.addr, "/css/extra.css");
    assert_eq!(css, "body{color:#222}\n");
}

/// The entries of `dir` whose names start with `prefix`.
fn entries(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect()
}

#[test]
fn the_private_folder_is_removed_when_the_server_stops() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = start_with_tmp(Some(tmp.path()));
    let made = entries(tmp.path(), "medsite-serve-");
    assert_eq!(made.len(), 1, "one private folder in TMPDIR: {made:?}");
    assert!(
        made[0].join("site/medications/ilaris/index.html").is_file(),
        "the preview is built there"
    );
    assert_eq!(get(&s.addr, "/medications/ilaris/").0, 200);
    let sent = Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a clean stop: {status:?}");
    assert_eq!(
        entries(tmp.path(), "medsite-serve-"),
        Vec::<PathBuf>::new(),
        "the private folder is gone"
    );
}
