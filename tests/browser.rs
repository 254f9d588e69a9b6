//! Runs the real-browser tests in `tests/browser/` (Node's test runner
//! driving Debian's chromium through playwright-core, plus axe-core and the
//! Nu HTML Checker) against the example site built by this crate's binary,
//! the real `medsite feedback serve` and the real `medsite serve`.
//!
//! Needs `node`/`npm`, `/usr/bin/chromium` (or `$CHROMIUM`), `java` and
//! `tests/browser/node_modules` (`npm ci` in `tests/browser`), so it is
//! ignored by a plain `cargo test`; `.ci/run` installs them and runs it with
//! `cargo test --release -- --ignored`. Run that way with a tool missing, it
//! fails and says which.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The whole npm run may take at most this long.
const LIMIT: Duration = Duration::from_secs(20 * 60);

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn missing_tools(dir: &Path, chromium: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if !runs("node", "--version") {
        missing.push("node (Node.js 20 or later) on PATH".to_string());
    }
    if !runs("npm", "--version") {
        missing.push("npm on PATH".to_string());
    }
    if !chromium.is_file() {
        missing.push(format!("{} (apt-get install chromium)", chromium.display()));
    }
    if !runs("java", "-version") {
        missing.push("java on PATH (for the Nu HTML Checker)".to_string());
    }
    if !dir.join("node_modules").is_dir() {
        missing.push(format!(
            "{} (run `npm ci` in {})",
            dir.join("node_modules").display(),
            dir.display()
        ));
    }
    missing
}

fn drain(mut r: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

#[test]
#[ignore = "needs node, npm ci in tests/browser, /usr/bin/chromium and java; .ci/run installs them"]
fn browser_tests() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("browser");
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));

    let missing = missing_tools(&dir, &chromium);
    assert!(
        missing.is_empty(),
        "the browser tests cannot run, missing: {}; `.ci/run` installs them \
         (apt-get install chromium default-jre-headless nodejs npm; npm ci in tests/browser)",
        missing.join("; ")
    );

    let mut cmd = Command::new("npm");
    // Its own process group, so a timeout can stop npm, node and chromium.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd
        .arg("test")
        .current_dir(&dir)
        .env("MEDSITE_BIN", env!("CARGO_BIN_EXE_medsite"))
        .env("CHROMIUM", &chromium)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start `npm test`");
    let out = drain(child.stdout.take().expect("stdout is piped"));
    let err = drain(child.stderr.take().expect("stderr is piped"));

    let start = Instant::now();
    let status = loop {
        match child.try_wait().expect("cannot wait for `npm test`") {
            Some(status) => break Some(status),
            None if start.elapsed() > LIMIT => {
                #[cfg(unix)]
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => thread::sleep(Duration::from_millis(200)),
        }
    };
    let (out, err) = if status.is_some() {
        (
            out.join().unwrap_or_default(),
            err.join().unwrap_or_default(),
        )
    } else {
        // Left-over grandchildren could keep the pipes open: don't wait.
        (String::new(), String::new())
    };
    println!("{out}");
    if !err.trim().is_empty() {
        println!("--- stderr ---\n{err}");
    }
    match status {
        None => panic!("`npm test` in {} took longer than {LIMIT:?}", dir.display()),
        Some(status) => assert!(
            status.success(),
            "`npm test` in {} failed ({status}); its output is above",
            dir.display()
        ),
    }
    // The summary of node's test runner: every test ran and passed.
    let count = |what: &str| -> usize {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("# {what} ")))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no `# {what} N` line in the output of `npm test`"))
    };
    let tests = count("tests");
    assert!(tests > 0, "`npm test` ran no test");
    assert_eq!(count("pass"), tests, "every browser test passes");
    for what in ["fail", "cancelled", "skipped", "todo"] {
        assert_eq!(count(what), 0, "browser tests {what}");
    }
    println!("browser tests: {tests} passed");
}
