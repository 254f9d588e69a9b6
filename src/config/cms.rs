//! `[cms]` in `site.toml`: the web editor at `/admin/` (Decap CMS), where
//! the team's content lives (a git host and repository), the branch it
//! publishes from and the media folder. Only the settings and their checks;
//! the admin page and the CMS configuration are made by `render::admin`,
//! and the local backend that `medsite serve` speaks is `serve::backend`.

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};

/// The git hosts the CMS can publish through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GitHost {
    Github,
    Gitlab,
    Gitea,
    Forgejo,
}

impl GitHost {
    /// The name of Decap CMS's backend for this host.
    pub fn backend(self) -> &'static str {
        match self {
            GitHost::Github => "github",
            GitHost::Gitlab => "gitlab",
            GitHost::Gitea => "gitea",
            GitHost::Forgejo => "forgejo",
        }
    }
}

/// How the CMS logs in to the git host from the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthType {
    Pkce,
    Implicit,
}

/// `[cms]`: the web editor.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CmsConfig {
    /// Where the content is kept: `github`, `gitlab`, `gitea` or `forgejo`.
    #[serde(default = "default_backend")]
    pub backend: GitHost,
    /// The repository on that host, `owner/name`.
    #[serde(default)]
    pub repo: String,
    /// The branch the site is published from.
    #[serde(default = "default_branch")]
    pub branch: String,
    /// The host's API address, for a self-hosted GitLab or Gitea
    /// (`https://git.example.org/api/v1`).
    #[serde(default)]
    pub api_root: Option<String>,
    /// The OAuth application's id on the git host (GitLab, Gitea and
    /// Forgejo log in from the browser with it).
    #[serde(default)]
    pub app_id: Option<String>,
    /// How the browser logs in: `pkce` (GitLab, Gitea, Forgejo) or
    /// `implicit`; the host's default when absent.
    #[serde(default)]
    pub auth_type: Option<AuthType>,
    /// The address of the login server: a self-hosted GitLab, Gitea or
    /// Forgejo, or the OAuth server a GitHub site uses.
    #[serde(default)]
    pub auth_base_url: Option<String>,
    /// The login path on `auth_base_url` (`auth`, `oauth/authorize`).
    #[serde(default)]
    pub auth_endpoint: Option<String>,
    /// Pages go through draft → in review → ready as pull (merge)
    /// requests before they are published (default: on).
    #[serde(default = "default_true")]
    pub editorial_workflow: bool,
    /// The folder (in the site folder) where uploaded images are stored;
    /// it must be inside `static/` or `content/`, so the build publishes it.
    #[serde(default = "default_media_folder")]
    pub media_folder: String,
}

fn default_backend() -> GitHost {
    GitHost::Github
}

fn default_branch() -> String {
    "main".to_owned()
}

fn default_true() -> bool {
    true
}

fn default_media_folder() -> String {
    "static/media".to_owned()
}

impl CmsConfig {
    /// The media folder without surrounding slashes: `static/media`.
    pub fn media_folder(&self) -> &str {
        self.media_folder.trim_matches('/')
    }

    /// Where the media folder is published, relative to the site's root:
    /// `media/` for `static/media`, `images/` for `content/images`.
    pub fn media_public(&self) -> String {
        let folder = self.media_folder();
        let inner = folder
            .strip_prefix("static/")
            .or_else(|| folder.strip_prefix("content/"))
            .unwrap_or(folder);
        format!("{inner}/")
    }

    /// The settings' problems, each with the key it is about.
    pub fn problems(&self) -> Vec<(&'static str, Diagnostic)> {
        let mut out = Vec::new();
        let repo = self.repo.trim();
        let parts: Vec<&str> = repo.split('/').collect();
        if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
            out.push((
                "cms.repo",
                Diagnostic::error(
                    "site.toml",
                    format!("[cms] repo `{repo}` is not a repository name"),
                )
                .with_help(
                    "write the repository as owner/name, e.g. repo = \"example-org/medicines\"",
                ),
            ));
        }
        let folder = self.media_folder();
        let inside = ["static/", "content/"]
            .iter()
            .any(|p| folder.starts_with(p) && folder.len() > p.len());
        if !inside
            || folder
                .split('/')
                .any(|c| c == ".." || c == "." || c.is_empty())
        {
            out.push((
                "cms.media_folder",
                Diagnostic::error(
                    "site.toml",
                    format!("[cms] media_folder `{}` is not a folder inside static/ or content/", self.media_folder),
                )
                .with_help("uploaded images must be published with the site: use a folder such as \"static/media\""),
            ));
        }
        if self.backend == GitHost::Gitea && self.editorial_workflow {
            out.push((
                "cms.backend",
                Diagnostic::error(
                    "site.toml",
                    "Decap CMS's Gitea backend has no editorial workflow (draft → in review → ready)",
                )
                .with_help("set editorial_workflow = false under [cms], or, on a Forgejo server, backend = \"forgejo\", which has it"),
            ));
        }
        if self.branch.trim().is_empty() {
            out.push((
                "cms.branch",
                Diagnostic::error("site.toml", "[cms] branch is empty").with_help(
                    "name the branch the site is published from, e.g. branch = \"main\"",
                ),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> CmsConfig {
        match toml::from_str(text) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn defaults_and_public_folder() {
        let c = parse("repo = \"org/site\"");
        assert_eq!(c.backend, GitHost::Github);
        assert_eq!(c.branch, "main");
        assert!(c.editorial_workflow);
        assert_eq!(c.media_public(), "media/");
        assert!(c.problems().is_empty());
        let c = parse("repo = \"org/site\"\nmedia_folder = \"content/images/\"");
        assert_eq!(c.media_public(), "images/");
        assert!(c.problems().is_empty());
    }

    #[test]
    fn bad_settings_are_named() {
        let c = parse("repo = \"site\"\nmedia_folder = \"../elsewhere\"\nbranch = \"\"");
        let keys: Vec<&str> = c.problems().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["cms.repo", "cms.media_folder", "cms.branch"]);
        let c = parse("repo = \"org/site\"\nmedia_folder = \"static\"");
        assert_eq!(c.problems().len(), 1);
        let c = parse("repo = \"org/site\"\nbackend = \"gitea\"");
        let keys: Vec<&str> = c.problems().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["cms.backend"]);
        let c = parse("repo = \"org/site\"\nbackend = \"gitea\"\neditorial_workflow = false");
        assert!(c.problems().is_empty());
    }
}
