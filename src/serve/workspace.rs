//! The site folder as the web editor's local backend sees it: which paths
//! a save may touch (only inside `content/` and the media folder; `..`,
//! hidden names and links out of the folder are refused), how the CMS's
//! names of default-language files (`ilaris.en.md`) map to medsite's
//! (`ilaris.md`), reading entries and media, and writing files atomically
//! (a temporary file beside the target, synced, then renamed over it).
//!
//! Not for the protocol's actions (`super::backend`) or the checks a save
//! must pass (`super::vet`).

use crate::config::Config;
use crate::content::translations::split_lang;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where a path may point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// A Markdown file in `content/`.
    Content,
    /// A file in the media folder.
    Media,
    /// A folder to list: `content/…` or the media folder.
    Folder,
}

/// A path of the site folder that a request may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Relative to the site folder, with `/`: `content/medications/ilaris.md`.
    pub rel: String,
    pub abs: PathBuf,
}

impl Target {
    /// The path inside `content/` (`medications/ilaris.md`), if it is there.
    pub fn in_content(&self) -> Option<&str> {
        self.rel.strip_prefix("content/")
    }
}

/// The site folder with the web editor's rules.
pub struct Workspace {
    pub root: PathBuf,
    /// The media folder, relative to the site folder: `static/media`.
    pub media: String,
}

/// Why a path is refused.
pub fn refusal(path: &str, why: &str) -> String {
    format!("medsite does not let the editor use `{path}`: {why}")
}

impl Workspace {
    /// Checks `path` (as the CMS sends it) for `area` and maps a
    /// default-language name to medsite's; `Err` says why it is refused.
    pub fn resolve(&self, path: &str, area: Area, config: &Config) -> Result<Target, String> {
        let p = path.trim_start_matches("./").trim_end_matches('/');
        if p.is_empty() || p.contains('\\') || p.contains('\0') || p.starts_with('/') {
            return Err(refusal(path, "it is not a path inside the site folder"));
        }
        for part in p.split('/') {
            if part.is_empty() || part == "." || part == ".." {
                return Err(refusal(path, "`..` and `.` may not be part of the path"));
            }
            if part.starts_with('.') {
                return Err(refusal(
                    path,
                    "names starting with a dot are not for editing",
                ));
            }
        }
        let in_content = p == "content" || p.starts_with("content/");
        let in_media = p == self.media || p.starts_with(&format!("{}/", self.media));
        let ok = match area {
            Area::Content => p.starts_with("content/") && p.ends_with(".md"),
            Area::Media => in_media && p != self.media && !p.ends_with(".md"),
            Area::Folder => in_content || in_media,
        };
        if !ok {
            let why = match area {
                Area::Content => "pages are Markdown files inside content/",
                Area::Media => "uploads go into the media folder of [cms] in site.toml",
                Area::Folder => "only content/ and the media folder can be listed",
            };
            return Err(refusal(path, why));
        }
        let rel = if area == Area::Content {
            self.to_disk(p, config)
        } else {
            p.to_owned()
        };
        let abs = self.root.join(&rel);
        self.inside(&abs, in_media)
            .map_err(|why| refusal(path, &why))?;
        Ok(Target { rel, abs })
    }

    /// Refuses a path that leaves its area through a symbolic link.
    fn inside(&self, abs: &Path, media: bool) -> Result<(), String> {
        let base = if media {
            self.root.join(&self.media)
        } else {
            self.root.join("content")
        };
        let Ok(base) = base.canonicalize().or_else(|_| self.root.canonicalize()) else {
            return Err("the site folder cannot be read".into());
        };
        // The deepest part of the path that exists must be inside `base`
        // (the site folder itself while the media folder does not exist).
        let mut probe = abs.to_path_buf();
        loop {
            if let Ok(real) = probe.canonicalize() {
                return if real.starts_with(&base) {
                    Ok(())
                } else {
                    Err("it leads out of the folder through a link".into())
                };
            }
            if !probe.pop() {
                return Err("the site folder cannot be read".into());
            }
        }
    }

    /// The file on disk for a CMS path: `content/x/ilaris.en.md` is
    /// `content/x/ilaris.md` unless a file of that exact name exists.
    fn to_disk(&self, p: &str, config: &Config) -> String {
        let suffix = format!(".{}.md", config.language);
        match p.strip_suffix(&suffix) {
            Some(stem) if config.is_multilingual() && !self.root.join(p).exists() => {
                format!("{stem}.md")
            }
            _ => p.to_owned(),
        }
    }

    /// The CMS's name for a file on disk: a default-language page gets the
    /// language in its name when the site has several (the CMS's
    /// per-language editing expects `ilaris.en.md`).
    pub fn for_cms(&self, rel: &str, config: &Config) -> String {
        let Some(inner) = rel.strip_prefix("content/") else {
            return rel.to_owned();
        };
        if !config.is_multilingual() || !inner.ends_with(".md") {
            return rel.to_owned();
        }
        match split_lang(inner, config, Path::new(rel)) {
            Ok((base, lang)) if lang == config.language && base == inner => {
                let stem = &rel[..rel.len() - 3];
                format!("{stem}.{}.md", config.language)
            }
            _ => rel.to_owned(),
        }
    }

    /// The files of a folder, `depth` levels deep, whose names end with
    /// `extension`; hidden names and sections' `_index` files (the CMS
    /// edits those as single files) are left out. Relative paths, sorted.
    pub fn list(&self, folder: &Target, extension: &str, depth: usize) -> Vec<String> {
        let mut out = Vec::new();
        let walker = walkdir::WalkDir::new(&folder.abs)
            .min_depth(1)
            .max_depth(depth.max(1))
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
        for e in walker.flatten() {
            if !e.file_type().is_file() {
                continue;
            }
            let name = e.file_name().to_string_lossy();
            if !name.ends_with(extension) || name.starts_with("_index.") {
                continue;
            }
            if let Ok(rel) = e.path().strip_prefix(&self.root)
                && let Some(rel) = rel.to_str()
            {
                out.push(rel.replace('\\', "/"));
            }
        }
        out
    }
}

/// A short fingerprint of a file's bytes: the entry's id for the CMS and
/// what a browser tab last saw of the file.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    format!("{:016x}{:08x}", h.finish(), bytes.len())
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// folder (its name starts with a dot, so the build and the watcher leave
/// it alone), synced to disk, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".medsite-save-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(multilingual: bool) -> Config {
        let text = if multilingual {
            "title = \"T\"\n[languages.nb]\n"
        } else {
            "title = \"T\"\n"
        };
        match Config::parse(text) {
            Ok(c) => c,
            Err(e) => panic!("{e:?}"),
        }
    }

    fn workspace() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("content/medications"))
            .unwrap_or_else(|e| panic!("{e}"));
        let w = Workspace {
            root: dir.path().to_path_buf(),
            media: "static/media".into(),
        };
        (dir, w)
    }

    #[test]
    fn paths_outside_content_and_media_are_refused() {
        let (_d, w) = workspace();
        let c = config(false);
        for bad in [
            "../secret.md",
            "content/../site.toml",
            "/etc/passwd",
            "content/./x.md",
            "content/.git/config.md",
            "site.toml",
            "templates/base.html",
            "content\\x.md",
            "content/x.txt",
            "static/media/../../site.toml",
        ] {
            assert!(w.resolve(bad, Area::Content, &c).is_err(), "{bad}");
        }
        assert!(w.resolve("static/media/x.md", Area::Media, &c).is_err());
        assert!(w.resolve("content/x.png", Area::Media, &c).is_err());
        assert!(w.resolve("static/media/x.png", Area::Media, &c).is_ok());
        assert!(
            w.resolve("content/medications/x.md", Area::Content, &c)
                .is_ok()
        );
        assert!(w.resolve("templates", Area::Folder, &c).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_content_is_refused() {
        let (d, w) = workspace();
        let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(outside.path(), d.path().join("content/out"))
            .unwrap_or_else(|e| panic!("{e}"));
        let e = w.resolve("content/out/x.md", Area::Content, &config(false));
        assert!(e.is_err_and(|m| m.contains("link")));
    }

    #[test]
    fn default_language_names_map_both_ways() {
        let (_d, w) = workspace();
        let c = config(true);
        let t = w.resolve("content/medications/ilaris.en.md", Area::Content, &c);
        assert_eq!(
            t.map(|t| t.rel),
            Ok("content/medications/ilaris.md".to_owned())
        );
        let t = w.resolve("content/medications/ilaris.nb.md", Area::Content, &c);
        assert_eq!(
            t.map(|t| t.rel),
            Ok("content/medications/ilaris.nb.md".to_owned())
        );
        assert_eq!(
            w.for_cms("content/medications/ilaris.md", &c),
            "content/medications/ilaris.en.md"
        );
        assert_eq!(
            w.for_cms("content/medications/ilaris.nb.md", &c),
            "content/medications/ilaris.nb.md"
        );
        let single = config(false);
        assert_eq!(w.for_cms("content/a.md", &single), "content/a.md");
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_nothing_else() {
        let (d, _w) = workspace();
        let p = d.path().join("content/medications/a.md");
        write_atomic(&p, b"one").unwrap_or_else(|e| panic!("{e}"));
        write_atomic(&p, b"two").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(&p).ok(), Some(b"two".to_vec()));
        let names: Vec<_> = std::fs::read_dir(d.path().join("content/medications"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert_ne!(fingerprint(b"one"), fingerprint(b"two"));
    }
}
