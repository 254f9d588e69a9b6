//! Writing the output: every file goes into a staging folder next to the
//! output folder, which replaces the output folder only when the whole build
//! succeeded. A failed build leaves the previous output untouched, and files
//! of earlier builds that are no longer produced disappear. Also copying the
//! static files (theme, `static/`, files beside pages). Not for rendering.

use crate::diagnostics::{Diagnostic, relative};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// A staging folder that becomes the output folder on [`Staging::commit`].
/// Dropped without a commit, it is removed.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

/// Joins `rel` (a `/`-separated path inside the output) to `base`, refusing
/// anything that would land outside `base`.
pub fn safe_join(base: &Path, rel: &str) -> Option<PathBuf> {
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let rel_path = Path::new(rel);
    let mut out = base.to_path_buf();
    for c in rel_path.components() {
        match c {
            Component::Normal(s) => out.push(s),
            _ => return None,
        }
    }
    Some(out)
}

impl Staging {
    /// Creates an empty staging folder beside `target`.
    pub fn new(target: &Path) -> Result<Staging, Diagnostic> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Diagnostic::error(target, "the output folder has no name")
                    .with_help("use --output with a folder such as site")
            })?;
        if target.exists() && !target.is_dir() {
            return Err(
                Diagnostic::error(target, "the output path exists and is not a folder")
                    .with_help("choose another --output folder, or move the file away"),
            );
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .map_err(|e| Diagnostic::error(&parent, format!("cannot create the folder: {e}")))?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = parent.join(format!(".{name}.staging-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|e| {
            Diagnostic::error(&dir, format!("cannot create the staging folder: {e}"))
        })?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Writes straight into `dir`, with nothing to commit: for the dev
    /// server's private output folder, which no static host serves.
    pub fn in_place(dir: &Path) -> Staging {
        Staging {
            dir: dir.to_path_buf(),
            target: dir.to_path_buf(),
            committed: true,
        }
    }

    /// The staging folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = safe_join(&self.dir, rel).ok_or_else(|| {
            Diagnostic::error(
                rel,
                format!("`{rel}` would be written outside the output folder"),
            )
            .with_help("remove `..` and leading `/` from slugs and file names")
        })?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(rel, format!("cannot create the folder for `{rel}`: {e}"))
            })?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| Diagnostic::error(rel, format!("cannot write `{rel}`: {e}")))
    }

    /// [`Staging::write`], leaving a file that already holds `bytes` as
    /// it is: for the dev server, which makes again many files of which
    /// few change.
    pub fn write_changed(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        if let Some(path) = safe_join(&self.dir, rel)
            && std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64)
            && std::fs::read(&path).is_ok_and(|old| old == bytes)
        {
            return Ok(());
        }
        self.write(rel, bytes)
    }

    /// Copies `source` to `rel` inside the staging folder.
    pub fn copy(&self, source: &Path, rel: &str) -> Result<(), Diagnostic> {
        let path = safe_join(&self.dir, rel).ok_or_else(|| {
            Diagnostic::error(
                rel,
                format!("`{rel}` would be written outside the output folder"),
            )
        })?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(rel, format!("cannot create the folder for `{rel}`: {e}"))
            })?;
        }
        std::fs::copy(source, &path)
            .map(|_| ())
            .map_err(|e| Diagnostic::error(source, format!("cannot copy to `{rel}`: {e}")))
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| {
                Diagnostic::error(
                    &self.target,
                    format!("cannot move the previous output aside: {e}"),
                )
            })?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Diagnostic::error(
                &self.target,
                format!("cannot put the new output in place: {e}"),
            ));
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// Copies the static files into `staging`: the theme's (`builtin`), then
/// the site's `static/` (which wins over the theme's), then `beside_pages`
/// (files next to pages in `content/`: source and output path). A file that
/// would replace one of `generated` (pages medsite writes) is an error.
/// Returns the number of files written and the problems.
pub fn copy_static(
    staging: &Staging,
    root: &Path,
    builtin: &[(&str, &[u8])],
    beside_pages: impl IntoIterator<Item = (PathBuf, String)>,
    generated: &HashSet<&str>,
) -> (usize, Vec<Diagnostic>) {
    let mut files = 0;
    let mut diagnostics = Vec::new();
    let dir = root.join("static");
    let mut overridden = HashSet::new();
    let mut copies: Vec<(PathBuf, String)> = Vec::new();
    if dir.is_dir() {
        let walker = walkdir::WalkDir::new(&dir).into_iter().filter_entry(|e| {
            e.depth() == 0 || !crate::content::is_ignored_name(&e.file_name().to_string_lossy())
        });
        for e in walker.flatten() {
            if e.file_type().is_file() {
                let rel = relative(e.path(), &dir)
                    .to_string_lossy()
                    .replace('\\', "/");
                overridden.insert(rel.clone());
                copies.push((e.path().to_path_buf(), rel));
            }
        }
    }
    for (rel, bytes) in builtin {
        if !overridden.contains(*rel) {
            match staging.write(rel, bytes) {
                Ok(()) => files += 1,
                Err(d) => diagnostics.push(d),
            }
        }
    }
    copies.extend(beside_pages);
    copies.retain(|(src, rel)| {
        let clash = generated.contains(rel.as_str());
        if clash {
            diagnostics.push(
                Diagnostic::error(relative(src, root), format!("this file would replace `{rel}`, which medsite writes itself"))
                    .with_help("rename or remove the file; to change how that page looks, override its template in templates/"),
            );
        }
        !clash
    });
    let results: Vec<Result<(), Diagnostic>> = copies
        .par_iter()
        .map(|(src, rel)| staging.copy(src, rel))
        .collect();
    for r in results {
        match r {
            Ok(()) => files += 1,
            Err(d) => diagnostics.push(d),
        }
    }
    (files, diagnostics)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_escapes() {
        let base = Path::new("/out");
        assert_eq!(
            safe_join(base, "a/b/index.html"),
            Some(PathBuf::from("/out/a/b/index.html"))
        );
        assert_eq!(safe_join(base, "../x"), None);
        assert_eq!(safe_join(base, "a/../../x"), None);
        assert_eq!(safe_join(base, "/etc/passwd"), None);
        assert_eq!(safe_join(base, ""), None);
        assert_eq!(safe_join(base, "a\\..\\x"), None);
    }

    #[test]
    fn commit_replaces_and_removes_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("site");
        std::fs::create_dir_all(target.join("old")).unwrap();
        std::fs::write(target.join("old/stale.html"), "stale").unwrap();
        let s = Staging::new(&target).unwrap();
        s.write("new/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("new/index.html")).unwrap(),
            "new"
        );
        assert!(!target.join("old/stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging and old folders are cleaned up");
    }

    #[test]
    fn dropping_without_commit_keeps_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("site");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("index.html"), "previous").unwrap();
        {
            let s = Staging::new(&target).unwrap();
            s.write("index.html", b"half").unwrap();
            assert!(s.write("../escape.html", b"x").is_err());
        }
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "previous"
        );
        assert!(!tmp.path().join("escape.html").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
