//! The web editor end to end, without a browser: `medsite build` writes
//! `/admin/` with Decap CMS and a configuration made from the schemas and
//! `site.toml`; `medsite serve` (the real binary, real HTTP) answers the
//! CMS's local backend protocol, saving into `content/` only what
//! `medsite build` accepts, only inside `content/` and the media folder,
//! and never over a change it has not shown the editor. The browser side
//! (the form, the messages) is in `tests/browser/cms.test.mjs`.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ATC_SHAPE: &str =
    "an ATC code is a letter, two digits, two letters and two digits, e.g. `L04AC08`";

/// A copy of the example site (the repository root) in a temporary folder.
fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site-src");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(repo.join("site.toml"), root.join("site.toml")).unwrap();
    for d in ["content", "templates", "static", "i18n"] {
        copy_dir(&repo.join(d), &root.join(d));
    }
    (dir, root)
}

fn copy_dir(from: &Path, to: &Path) {
    if !from.is_dir() {
        return;
    }
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_medsite"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
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
    Server { child, addr }
}

/// One HTTP request; returns (status, body).
fn request(addr: &str, head: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
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
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn get(addr: &str, path: &str) -> (u16, String) {
    request(addr, &format!("GET {path} HTTP/1.1\r\nHost: {addr}"), "")
}

/// A request of the CMS from browser tab `tab`; returns (status, JSON).
fn cms(addr: &str, tab: &str, action: &str, params: Value) -> (u16, Value) {
    let body = json!({"action": action, "params": params}).to_string();
    let head = format!(
        "POST /__medsite/cms/{tab} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/json"
    );
    let (status, text) = request(addr, &head, &body);
    let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, v)
}

fn persist(addr: &str, tab: &str, path: &str, raw: &str, new_entry: bool) -> (u16, Value) {
    cms(
        addr,
        tab,
        "persistEntry",
        json!({
            "dataFiles": [{"path": path, "raw": raw, "slug": "x"}],
            "assets": [],
            "options": {"newEntry": new_entry, "commitMessage": "m", "useWorkflow": false},
        }),
    )
}

/// A save of `raw` over `path` that must be refused with 422 and leave
/// `file` (in the site folder) as it was; returns the message.
fn refused(addr: &str, tab: &str, path: &str, raw: &str, root: &Path, file: &str) -> String {
    let before = std::fs::read(root.join(file)).ok();
    let (status, reply) = persist(addr, tab, path, raw, false);
    assert_eq!(status, 422, "{reply}");
    assert_eq!(
        std::fs::read(root.join(file)).ok(),
        before,
        "{file} changed"
    );
    reply["error"].as_str().unwrap_or_default().to_owned()
}

/// Polls `path` until its body contains `needle`.
fn wait_for_page(addr: &str, path: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let (status, body) = get(addr, path);
        if status == 200 && body.contains(needle) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{path} never showed {needle:?} (last status {status})"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

/// `medsite build --root root --output out`, which must succeed; `out`.
fn build(root: &Path, out: &Path) -> PathBuf {
    let status = Command::new(env!("CARGO_BIN_EXE_medsite"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
    out.to_path_buf()
}

fn field<'a>(collection: &'a Value, name: &str) -> &'a Value {
    collection["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn build_writes_the_admin_page_with_a_configuration_from_the_schemas() {
    let (dir, root) = example_copy();
    let out = build(&root, &dir.path().join("out"));

    // Decap CMS is the pinned package's own file, served by the site.
    let embedded = std::fs::read(out.join("admin/decap-cms.js")).unwrap();
    let pinned = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor/decap-cms/dist/decap-cms.js"),
    )
    .unwrap();
    assert!(
        embedded == pinned,
        "admin/decap-cms.js is not the vendored file"
    );
    let index = std::fs::read_to_string(out.join("admin/index.html")).unwrap();
    assert!(index.contains(r#"<script src="decap-cms.js"></script>"#));
    assert!(!index.contains("src=\"http") && !index.contains("href=\"http"));

    let yaml = std::fs::read_to_string(out.join("admin/config.yml")).unwrap();
    let c: Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(c["backend"]["name"], "github");
    assert_eq!(c["backend"]["repo"], "example-org/medicines");
    assert_eq!(c["publish_mode"], "editorial_workflow");
    assert_eq!(c["local_backend"], true);
    assert_eq!(c["media_folder"], "static/media");
    assert_eq!(c["public_folder"], "/media");
    assert_eq!(c["i18n"]["structure"], "multiple_files");
    assert_eq!(c["i18n"]["locales"], json!(["en", "nb"]));
    assert_eq!(c["i18n"]["default_locale"], "en");

    let collections = c["collections"].as_array().unwrap();
    let meds = collections
        .iter()
        .find(|c| c["folder"] == "content/medications")
        .expect("a collection for the medications section");
    assert_eq!(meds["i18n"], true);
    assert_eq!(meds["create"], true);
    for (name, required) in [
        ("title", true),
        ("generic_name", true),
        ("last_reviewed", true),
        ("next_review", true),
        ("drug_class", false),
        ("atc_code", false),
    ] {
        assert_eq!(field(meds, name)["required"], required, "{name}");
    }
    let atc = field(meds, "atc_code");
    assert_eq!(atc["pattern"][1], ATC_SHAPE);
    let schema = medsite::schema::schema(medsite::schema::Kind::Medication);
    assert_eq!(
        atc["pattern"][0],
        schema["properties"]["atc_code"]["pattern"]
    );
    assert!(atc["hint"].as_str().unwrap().contains("ATC"));
    let date = field(meds, "next_review");
    assert_eq!(date["widget"], "datetime");
    assert_eq!(date["format"], "YYYY-MM-DD");
    assert_eq!(date["time_format"], false);
    let sources = field(meds, "sources");
    assert_eq!(sources["widget"], "list");
    let names: Vec<&str> = sources["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(&names[..2], ["title", "url"]);
    assert_eq!(field(meds, "brand_names")["widget"], "list");
    let conditions = field(meds, "conditions");
    assert_eq!(conditions["widget"], "medsite-conditions");
    let en: Vec<&str> = conditions["suggestions"]["en"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        en.contains(&"Rheumatoid arthritis") && en.contains(&"Gout"),
        "{en:?}"
    );
    assert!(
        conditions["suggestions"]["nb"]
            .as_array()
            .unwrap()
            .contains(&json!("Revmatoid artritt"))
    );
    let body = field(meds, "body")["default"].as_str().unwrap();
    assert!(
        body.starts_with("## What it is and what it is used for\n\n"),
        "{body}"
    );
    assert!(body.contains("## Side effects\n"), "{body}");
    // Medication-only fields are not on the articles' form.
    let pages = collections
        .iter()
        .find(|c| c["folder"] == "content")
        .expect("a collection for the pages at the top");
    assert!(
        pages["fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["name"] != "atc_code")
    );
    // Each section's own page, in each language.
    let files: Vec<&str> = collections
        .iter()
        .find(|c| c["name"] == "sections")
        .unwrap()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    for f in [
        "content/_index.md",
        "content/_index.nb.md",
        "content/medications/_index.md",
        "content/medications/_index.nb.md",
    ] {
        assert!(files.contains(&f), "{f} in {files:?}");
    }

    // A self-hosted GitLab that logs in from the browser.
    let toml = read(&root, "site.toml");
    let cut = toml.find("[cms]").unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!(
            "{}[cms]\nbackend = \"gitlab\"\nrepo = \"team/medicines\"\napp_id = \"abc123\"\nauth_type = \"pkce\"\nauth_base_url = \"https://git.example.org\"\napi_root = \"https://git.example.org/api/v4\"\neditorial_workflow = false\n",
            &toml[..cut]
        ),
    )
    .unwrap();
    let out2 = build(&root, &dir.path().join("out2"));
    let c: Value =
        serde_saphyr::from_str(&std::fs::read_to_string(out2.join("admin/config.yml")).unwrap())
            .unwrap();
    assert_eq!(
        c["backend"],
        json!({"name": "gitlab", "repo": "team/medicines", "branch": "main", "app_id": "abc123",
               "auth_type": "pkce", "base_url": "https://git.example.org",
               "api_root": "https://git.example.org/api/v4", "commit_messages": c["backend"]["commit_messages"]})
    );
    assert!(c.get("publish_mode").is_none());

    // Without [cms], no admin page.
    std::fs::write(root.join("site.toml"), &toml[..cut]).unwrap();
    let out3 = build(&root, &dir.path().join("out3"));
    assert!(out3.join("index.html").is_file() && !out3.join("admin").exists());
}

#[test]
fn saves_pass_the_build_checks_before_they_are_written() {
    let (_dir, root) = example_copy();
    let s = serve(&root);
    let a = &s.addr;
    let tab = "tab-aaaaaaaa";

    let (status, info) = cms(a, tab, "info", json!({}));
    assert_eq!(status, 200);
    assert_eq!(info["publish_modes"], json!(["simple"]));
    assert_eq!(info["type"], "local_fs");

    // Default-language files carry the language in their name for the
    // CMS's side-by-side editing; translations keep theirs.
    let (status, list) = cms(
        a,
        tab,
        "entriesByFolder",
        json!({"folder": "content/medications", "extension": "md", "depth": 1}),
    );
    assert_eq!(status, 200);
    let paths: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"]["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"content/medications/methotrexate.en.md"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"content/medications/methotrexate.nb.md"),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.contains("_index")), "{paths:?}");
    let rel = "content/medications/colchicine.md";
    let before = read(&root, rel);
    assert!(before.contains("atc_code: M04AC01"));

    // A wrong ATC code: refused with the build's message; the file is unchanged.
    let colchicine = "content/medications/colchicine.en.md";
    let bad = before.replace("atc_code: M04AC01", "atc_code: M04AC1");
    let msg = refused(a, tab, colchicine, &bad, &root, rel);
    assert!(
        msg.contains("atc_code: `M04AC1` is not an ATC code"),
        "{msg}"
    );
    assert!(msg.contains(&format!("How to fix: {ATC_SHAPE}")), "{msg}");

    // A link to a page that does not exist: only the build can tell.
    let broken = format!("{before}\nSee [the other page](no-such-page.md).\n");
    let msg = refused(a, tab, colchicine, &broken, &root, rel);
    assert!(
        msg.contains("in the text, near “See [the other page](no-such-page.md).”"),
        "{msg}"
    );
    assert!(msg.contains("does not exist"), "{msg}");

    // A link to a heading another page does not have.
    let anchor = format!("{before}\nSee [its dose](methotrexate.md#no-such-heading).\n");
    let msg = refused(a, tab, colchicine, &anchor, &root, rel);
    assert!(msg.contains("no-such-heading"), "{msg}");

    // A good edit is written as sent, and the preview shows it.
    let good = before.replacen("summary: ", "summary: Edited in the browser. ", 1);
    let (status, reply) = persist(a, tab, "content/medications/colchicine.en.md", &good, false);
    assert_eq!(status, 200, "{reply}");
    assert_eq!(read(&root, rel), good);
    wait_for_page(a, "/medications/colchicine/", "Edited in the browser.");

    // The CMS sends every language of an entry; a translation nobody has
    // begun (no title, the form's defaults) is not written.
    let body = json!({
        "dataFiles": [
            {"path": "content/medications/colchicine.en.md", "raw": good, "slug": "colchicine"},
            {"path": "content/medications/colchicine.nb.md", "raw": "---\ngeneric_name: colchicine\nsources:\n  - accessed: \"\"\n---\n\n## Hva det er og hva det brukes mot\n", "slug": "colchicine"},
        ],
        "assets": [],
        "options": {"newEntry": false},
    });
    let (status, reply) = cms(a, tab, "persistEntry", body);
    assert_eq!(status, 200, "{reply}");
    assert!(!root.join("content/medications/colchicine.nb.md").exists());
    // One that has been begun is checked like any page.
    let body = json!({
        "dataFiles": [
            {"path": "content/medications/colchicine.nb.md", "raw": "---\ntitle: Kolkisin\ngeneric_name: colchicine\nlast_reviewed: 2026-13-01\n---\n\nTekst.\n", "slug": "colchicine"},
        ],
        "assets": [],
        "options": {"newEntry": false},
    });
    let (status, reply) = cms(a, tab, "persistEntry", body);
    assert_eq!(status, 422, "{reply}");
    assert!(
        reply["error"].as_str().unwrap().contains("last_reviewed"),
        "{reply}"
    );
    assert!(!root.join("content/medications/colchicine.nb.md").exists());

    // A new page goes where medsite expects it (no `.en` in its name).
    let new = "---\ntitle: Testamab\ngeneric_name: testamab\nlast_reviewed: 2026-12-01\nnext_review: 2027-12-01\n---\n\n## What it is and what it is used for\n\nA medicine made up for this test.\n";
    let (status, reply) = persist(a, tab, "content/medications/testamab.en.md", new, true);
    assert_eq!(status, 200, "{reply}");
    assert_eq!(read(&root, "content/medications/testamab.md"), new);
    assert!(!root.join("content/medications/testamab.en.md").exists());
    wait_for_page(
        a,
        "/medications/testamab/",
        "A medicine made up for this test.",
    );
    // Creating it again would overwrite it: refused.
    let (status, _) = persist(
        a,
        tab,
        "content/medications/testamab.en.md",
        "---\ntitle: X\n---\n",
        true,
    );
    assert_eq!(status, 409);
    assert_eq!(read(&root, "content/medications/testamab.md"), new);

    // Renaming a heading that another page links to would break that
    // page's link: refused, naming the other page.
    let mtx = read(&root, "content/medications/methotrexate.md");
    let renamed = mtx.replace("## Pregnancy and breast-feeding", "## Pregnancy");
    assert_ne!(renamed, mtx);
    let msg = refused(
        a,
        tab,
        "content/medications/methotrexate.en.md",
        &renamed,
        &root,
        "content/medications/methotrexate.md",
    );
    assert!(
        msg.contains("content/medications/sulfasalazine.md"),
        "{msg}"
    );

    // Deleting a page others link to would break the build: refused.
    let (status, reply) = cms(
        a,
        tab,
        "deleteFile",
        json!({"path": "content/medications/methotrexate.en.md"}),
    );
    assert_eq!(status, 422, "{reply}");
    assert!(
        reply["error"]
            .as_str()
            .unwrap()
            .starts_with("medsite did not delete this")
    );
    assert!(root.join("content/medications/methotrexate.md").is_file());
    // Deleting the new page is fine.
    let (status, _) = cms(
        a,
        tab,
        "deleteFile",
        json!({"path": "content/medications/testamab.en.md"}),
    );
    assert_eq!(status, 200);
    assert!(!root.join("content/medications/testamab.md").exists());

    // No temporary file is left behind.
    let leftovers: Vec<_> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".medsite-save"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn paths_outside_content_and_the_media_folder_are_refused() {
    let (_dir, root) = example_copy();
    let s = serve(&root);
    let a = &s.addr;
    let tab = "tab-bbbbbbbb";
    let toml = read(&root, "site.toml");
    let outside = root.parent().unwrap().join("outside.md");
    for path in [
        "../outside.md",
        "content/../../outside.md",
        "content/../site.toml",
        "/etc/medsite.md",
        "site.toml",
        "templates/base.md",
        "content/./about.md",
        "content\\..\\site.toml",
        "content/.hidden.md",
    ] {
        let (status, reply) = persist(a, tab, path, "---\ntitle: X\n---\n", true);
        assert!((400..500).contains(&status), "{path}: {status} {reply}");
        let (status, _) = cms(a, tab, "getEntry", json!({"path": path}));
        assert!((400..500).contains(&status), "getEntry {path}: {status}");
        let (status, _) = cms(a, tab, "deleteFile", json!({"path": path}));
        assert!((400..500).contains(&status), "deleteFile {path}: {status}");
    }
    let (status, _) = cms(
        a,
        tab,
        "persistMedia",
        json!({"asset": {"path": "static/media/../../site.toml", "content": "eA==", "encoding": "base64"}}),
    );
    assert_eq!(status, 422);
    let (status, _) = cms(
        a,
        tab,
        "entriesByFolder",
        json!({"folder": "..", "extension": "toml", "depth": 1}),
    );
    assert_eq!(status, 422);
    assert_eq!(read(&root, "site.toml"), toml);
    assert!(!outside.exists());
    assert!(root.join("content/about.md").is_file());

    // An upload into the media folder is written, and read back.
    let (status, file) = cms(
        a,
        tab,
        "persistMedia",
        json!({"asset": {"path": "static/media/dose-chart.png", "content": "iVBORw0KGgo=", "encoding": "base64"}}),
    );
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["path"], "static/media/dose-chart.png");
    assert_eq!(
        std::fs::read(root.join("static/media/dose-chart.png")).unwrap(),
        b"\x89PNG\r\n\x1a\n"
    );
    let (_, media) = cms(a, tab, "getMedia", json!({"mediaFolder": "static/media"}));
    assert_eq!(media[0]["name"], "dose-chart.png");
}

#[test]
fn a_change_made_elsewhere_is_never_overwritten() {
    let (_dir, root) = example_copy();
    let s = serve(&root);
    let a = &s.addr;
    let rel = "content/about.md";
    let path = "content/about.en.md";
    let original = read(&root, rel);
    // Two tabs open the page.
    for tab in ["tab-one-1111", "tab-two-2222"] {
        let (status, e) = cms(a, tab, "getEntry", json!({"path": path}));
        assert_eq!(status, 200);
        assert_eq!(e["data"], original.as_str());
    }
    // The first saves; the second, still showing the old text, is refused.
    let first = original.replacen("title: ", "title: First ", 1);
    assert_eq!(persist(a, "tab-one-1111", path, &first, false).0, 200);
    let second = original.replacen("title: ", "title: Second ", 1);
    let (status, reply) = persist(a, "tab-two-2222", path, &second, false);
    assert_eq!(status, 409, "{reply}");
    assert!(
        reply["error"]
            .as_str()
            .unwrap()
            .contains("changed by someone else")
    );
    assert_eq!(read(&root, rel), first);
    // The first tab may go on saving its own text.
    let again = first.replacen("title: First ", "title: First again ", 1);
    assert_eq!(persist(a, "tab-one-1111", path, &again, false).0, 200);
    // A text editor changes the file: the tab is told, the change stays.
    let by_hand = again.replacen("title: ", "title: By hand ", 1);
    std::fs::write(root.join(rel), &by_hand).unwrap();
    let (status, _) = persist(a, "tab-one-1111", path, &again, false);
    assert_eq!(status, 409);
    assert_eq!(read(&root, rel), by_hand);
    // A tab that never read the file cannot write over it.
    let (status, _) = persist(a, "tab-new-3333", path, &original, false);
    assert_eq!(status, 409);
    assert_eq!(read(&root, rel), by_hand);
}

#[test]
fn only_the_servers_own_pages_may_call_the_backend() {
    let (_dir, root) = example_copy();
    let s = serve(&root);
    let a = &s.addr;
    let body = json!({"action": "info"}).to_string();
    let post = |extra: &str| {
        request(
            a,
            &format!("POST /__medsite/cms/tab-cccccccc HTTP/1.1\r\n{extra}"),
            &body,
        )
        .0
    };
    assert_eq!(
        post(&format!("Host: {a}\r\nContent-Type: application/json")),
        200
    );
    // Another site's page in the same browser.
    assert_eq!(
        post(&format!(
            "Host: {a}\r\nOrigin: https://evil.example\r\nContent-Type: application/json"
        )),
        403
    );
    // A name that resolves to 127.0.0.1 (DNS rebinding).
    let port = a.rsplit(':').next().unwrap();
    assert_eq!(
        post(&format!(
            "Host: evil.example:{port}\r\nContent-Type: application/json"
        )),
        403
    );
    // A form post cannot reach it.
    assert_eq!(post(&format!("Host: {a}\r\nContent-Type: text/plain")), 400);
    // A tab name that is not one.
    let (status, _) = request(
        a,
        &format!("POST /__medsite/cms/x HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json"),
        &body,
    );
    assert_eq!(status, 400);
}

#[test]
fn a_page_at_the_editors_address_is_an_error() {
    let (dir, root) = example_copy();
    std::fs::write(
        root.join("content/admin.md"),
        "---\ntitle: Administration\n---\nAbout the department's administration.\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_medsite"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("content/admin.md"), "{err}");
    assert!(err.contains("where the web editor is"), "{err}");
}

#[test]
fn the_preview_does_not_reload_the_editor() {
    let (_dir, root) = example_copy();
    let s = serve(&root);
    let (status, admin) = get(&s.addr, "/admin/");
    assert_eq!(status, 200);
    assert!(admin.contains("decap-cms.js"));
    assert!(!admin.contains("/__medsite/live.js"), "{admin}");
    let (_, page) = get(&s.addr, "/about/");
    assert!(page.contains("/__medsite/live.js"));
}
