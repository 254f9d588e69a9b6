//! Watching the site folder with notify (debounced) and feeding changes to
//! the rebuilder on a thread of its own.
//!
//! Not for: deciding what a change rebuilds (`super::Rebuilder`) or telling
//! browsers (the server's reload events).

use super::{Rebuilder, report};
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the watcher waits for more events before rebuilding.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// Starts watching `root`; rebuilds run on a dedicated thread.
pub fn spawn(root: &Path, rebuilder: Arc<Mutex<Rebuilder>>) -> notify::Result<()> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (tx, rx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    let watch_root = root.clone();
    let thread_root = root.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let mut paths: Vec<PathBuf> = Vec::new();
            for e in events {
                // Reading files (as every build does) is not a change.
                if matches!(
                    e.kind,
                    notify::EventKind::Access(_) | notify::EventKind::Other
                ) {
                    continue;
                }
                for p in &e.paths {
                    if let Some(rel) = relevant(&watch_root, p)
                        && !paths.contains(&rel)
                    {
                        paths.push(rel);
                    }
                }
            }
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    })?;
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    for dir in ["content", "templates", "static", "i18n"] {
        let d = root.join(dir);
        if d.is_dir() {
            debouncer.watch(&d, RecursiveMode::Recursive)?;
        }
    }
    std::thread::Builder::new()
        .name("medsite-rebuild".into())
        .spawn(move || {
            let root = thread_root;
            let mut debouncer = debouncer;
            while let Ok(mut paths) = rx.recv() {
                // Take everything that arrived meanwhile in one rebuild.
                while let Ok(more) = rx.try_recv() {
                    for p in more {
                        if !paths.contains(&p) {
                            paths.push(p);
                        }
                    }
                }
                // A folder that appeared (the first template override, say)
                // is watched from now on.
                for p in &paths {
                    let abs = root.join(p);
                    if p.components().count() == 1 && abs.is_dir() {
                        let _ = debouncer.watch(&abs, RecursiveMode::Recursive);
                    }
                }
                let result = match rebuilder.lock() {
                    Ok(mut r) => r.changed(&paths),
                    Err(e) => e.into_inner().changed(&paths),
                };
                report(&result);
            }
        })?;
    Ok(())
}

/// The path relative to the site folder, if a rebuild should care about it.
fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let name = rel.file_name()?.to_string_lossy().into_owned();
    if crate::content::is_ignored_name(&name) {
        return None;
    }
    match first.as_str() {
        "site.toml" if rel.components().count() == 1 => Some(rel.to_path_buf()),
        "content" | "templates" | "static" | "i18n" => Some(rel.to_path_buf()),
        _ => None,
    }
}
