//! The link table as the Markdown step sees it: [`SiteLinks`] answers, for
//! a page in a given folder, where a relative path points (a page, a file
//! copied from `content/`, a draft, nothing). Not for rewriting links: that
//! is Markdown's job.

use crate::content::{Site, Target, resolve_relative};
use crate::markdown::{LinkResolver, Resolved, url_for};

/// Resolves links written in the pages of one folder of `site`.
pub struct SiteLinks<'a> {
    pub site: &'a Site,
    /// Folder of the page inside `content/`: `medications`.
    pub dir: &'a str,
    pub base_path: &'a str,
    /// The page's language: a link to a page that has a version in it
    /// goes to that version.
    pub lang: &'a str,
}

impl LinkResolver for SiteLinks<'_> {
    fn resolve(&self, path: &str) -> Resolved {
        let Some(resolved) = resolve_relative(self.dir, path) else {
            return Resolved::Outside;
        };
        let site = self.site;
        if path.ends_with(".md") {
            return match site.by_file.get(&resolved) {
                Some(&t) => {
                    let t = site.in_language(t, self.lang);
                    let file = match t {
                        Target::Page(i) => site.pages[i].rel.clone(),
                        Target::Section(i) if site.sections[i].has_file => {
                            site.sections[i].rel.clone()
                        }
                        Target::Section(_) => resolved,
                    };
                    Resolved::Page {
                        url: url_for(self.base_path, site.path_of(t)),
                        file,
                    }
                }
                None if site.broken.contains(&resolved) => Resolved::Keep,
                None => Resolved::Missing {
                    draft: site.drafts.contains(&resolved),
                    path: resolved,
                },
            };
        }
        if site.asset_files.contains(&resolved) {
            Resolved::Asset {
                url: url_for(self.base_path, &resolved),
            }
        } else if resolved.is_empty() {
            Resolved::Keep
        } else {
            Resolved::Missing {
                path: resolved,
                draft: false,
            }
        }
    }
}
