//! Link and image destinations: unsafe schemes refused, `.md` paths turned
//! into page URLs through the [`LinkResolver`], files beside the page into
//! their URLs, site paths kept under the base path, and links to headings
//! recorded for checking once every page is rendered. Not for deciding
//! what exists: the resolver knows the site.

use super::facts::AnchorRef;
use super::{LinkResolver, Options, Resolved, url_for};
use crate::diagnostics::{Diagnostic, Excerpt};
use pulldown_cmark::{CowStr, Tag};

/// Where the renderer is in the body, for messages.
pub(super) struct Place<'a, 'b> {
    pub opts: &'a Options<'b>,
    pub body: &'a Excerpt<'a>,
    pub offset: usize,
}

/// What rewriting one destination found.
#[derive(Default)]
pub(super) struct Found {
    pub diagnostics: Vec<Diagnostic>,
    pub anchors: Vec<AnchorRef>,
}

fn has_scheme(dest: &str) -> Option<&str> {
    let end = dest.find([':', '/', '?', '#'])?;
    if dest.as_bytes()[end] != b':' || end == 0 {
        return None;
    }
    let scheme = &dest[..end];
    scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .then_some(scheme)
}

/// A link or image tag with its destination rewritten; other tags as they are.
pub(super) fn rewrite_tag<'e>(
    tag: Tag<'e>,
    place: &Place,
    resolver: &dyn LinkResolver,
    found: &mut Found,
) -> Tag<'e> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: rewrite(&dest_url, false, place, resolver, found),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: rewrite(&dest_url, true, place, resolver, found),
            title,
            id,
        },
        other => other,
    }
}

/// The destination to write for `dest`, a link's (or an image's) target.
fn rewrite<'e>(
    dest: &CowStr<'e>,
    image: bool,
    place: &Place,
    resolver: &dyn LinkResolver,
    found: &mut Found,
) -> CowStr<'e> {
    let raw = dest.trim();
    let file = place.opts.file;
    let located = |d: Diagnostic| place.body.at(d, place.offset);
    let mut err = |msg: String, help: &str| {
        found
            .diagnostics
            .push(located(Diagnostic::error(file, msg)).with_help(help.to_owned()));
    };
    if raw.is_empty() {
        return dest.clone();
    }
    if let Some(scheme) = has_scheme(raw) {
        let scheme = scheme.to_ascii_lowercase();
        let lower = raw.to_ascii_lowercase();
        let safe = matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
            || (image
                && scheme == "data"
                && lower.starts_with("data:image/")
                && !lower.starts_with("data:image/svg"));
        if !safe && !place.opts.allow_unsafe_html {
            err(
                format!("the link `{raw}` uses `{scheme}:`, which is not allowed"),
                "link to an https:// address or to another page's .md file",
            );
            return CowStr::from("#");
        }
        return dest.clone();
    }
    if raw.starts_with("//") {
        return dest.clone();
    }
    if let Some(fragment) = raw.strip_prefix('#') {
        if !fragment.is_empty() {
            found.anchors.push(AnchorRef {
                file: None,
                fragment: fragment.to_owned(),
                diagnostic: located(Diagnostic::error(file, format!("the link `{raw}` points to a heading this page does not have")))
                    .with_help("use the id of one of this page's headings: its words in lowercase joined by hyphens, e.g. `#side-effects`"),
            });
        }
        return dest.clone();
    }
    let (path_part, fragment) = match raw.find('#') {
        Some(i) => (&raw[..i], Some(&raw[i + 1..])),
        None => (raw, None),
    };
    let (path_part, query) = match path_part.find('?') {
        Some(i) => (&path_part[..i], Some(&path_part[i..])),
        None => (path_part, None),
    };
    let is_md = path_part.ends_with(".md");
    if raw.starts_with('/') && !is_md {
        // A site path: keep it working under a sub-path.
        return CowStr::from(url_for(place.opts.base_path, raw));
    }
    let with_suffix = |mut s: String| -> CowStr<'e> {
        if let Some(q) = query {
            s.push_str(q);
        }
        if let Some(f) = fragment {
            s.push('#');
            s.push_str(f);
        }
        CowStr::from(s)
    };
    match resolver.resolve(path_part) {
        Resolved::Outside => {
            err(
                format!("the link `{raw}` points outside content/"),
                "write a path to a file inside content/, relative to this page",
            );
            dest.clone()
        }
        Resolved::Page { url, file: target } => {
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                found.anchors.push(AnchorRef {
                    file: Some(target),
                    fragment: f.to_owned(),
                    diagnostic: located(Diagnostic::error(file, format!("the link `{raw}` points to a heading that `{path_part}` does not have")))
                        .with_help("check the heading's id: its words in lowercase joined by hyphens, e.g. `#side-effects`"),
                });
            }
            with_suffix(url)
        }
        Resolved::Asset { url } => with_suffix(url),
        Resolved::Keep => dest.clone(),
        Resolved::Missing { path, draft } if is_md => {
            let why = if draft {
                format!("the link `{raw}` points to a draft page, which is not built")
            } else {
                format!("the link `{raw}` points to a page that does not exist (content/{path})")
            };
            err(
                why,
                "check the file name; links to other pages are paths to their .md file relative to this page, e.g. `methotrexate.md` or `../about.md`",
            );
            dest.clone()
        }
        Resolved::Missing { path, .. } => {
            let what = if image { "image" } else { "file" };
            err(
                format!("the {what} `{raw}` does not exist (content/{path})"),
                "put the file next to the page in content/ and link it by its name, e.g. `diagram.png`",
            );
            dest.clone()
        }
    }
}
