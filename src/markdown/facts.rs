//! What a page's body contains, collected during its one Markdown pass:
//! headings with their ids, links, images, the prose as plain text, every
//! id, links to headings, and raw HTML that was removed. The checks, anchor
//! validation and external-link checking read these [`PageFacts`] instead
//! of parsing the body again. Not for producing HTML.

use crate::diagnostics::Diagnostic;
use pulldown_cmark::{Event, Tag, TagEnd};

/// A heading of the body.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    /// Its text (inline code included, markup left out).
    pub text: String,
    /// The id it was given (`side-effects`).
    pub id: String,
    /// Byte offset in the body.
    pub offset: usize,
}

/// An image of the body.
#[derive(Debug, Clone)]
pub struct Image {
    pub alt: String,
    pub dest: String,
    pub offset: usize,
}

/// A link of the body (inline, reference or autolink).
#[derive(Debug, Clone)]
pub struct Link {
    /// The visible text, with the alt text of images inside it.
    pub text: String,
    pub dest: String,
    pub offset: usize,
}

/// A block of prose (a paragraph, a list item, a table cell...). Text
/// events are joined with spaces; `starts` maps positions in `text` back to
/// body offsets.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub text: String,
    /// (byte position in `text`, byte offset in the body) of each text event.
    pub starts: Vec<(usize, usize)>,
}

impl Block {
    /// The body offset of byte `pos` of `text`: where its text event starts
    /// in the body, plus how far into the event it is.
    pub fn offset_of(&self, pos: usize) -> usize {
        let i = self.starts.partition_point(|&(p, _)| p <= pos);
        match i.checked_sub(1).map(|i| self.starts[i]) {
            Some((text_pos, body_offset)) => body_offset + (pos - text_pos),
            None => self.starts.first().map_or(0, |s| s.1),
        }
    }
}

/// A link to a heading (`#dosage`, `methotrexate.md#dosage`), which can
/// only be checked once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// The content file linked to (`medications/methotrexate.md`); `None`
    /// for a heading of the same page.
    pub file: Option<String>,
    pub fragment: String,
    /// The error to report when the heading does not exist.
    pub diagnostic: Diagnostic,
}

/// What one body contains.
#[derive(Debug, Clone, Default)]
pub struct PageFacts {
    pub headings: Vec<Heading>,
    pub images: Vec<Image>,
    pub links: Vec<Link>,
    /// Prose for readability and abbreviations: no headings, code, raw HTML
    /// or image alt text. Collected only when asked for.
    pub blocks: Vec<Block>,
    /// Every id the body defines (headings and raw HTML), for link checks.
    pub ids: Vec<String>,
    /// Links to headings, to check once every page is rendered.
    pub anchors: Vec<AnchorRef>,
    /// Byte offsets of raw HTML that the sanitizer changed or removed.
    pub raw_html_removed: Vec<usize>,
}

/// Collects [`PageFacts`] from Markdown events one at a time, during the
/// renderer's pass over the body.
pub(super) struct Scanner {
    out: PageFacts,
    heading: Option<Heading>,
    open: Vec<(bool, usize)>,
    code_depth: usize,
    block: Block,
    /// Whether to collect the text blocks (for readability).
    text: bool,
}

impl Scanner {
    /// `text`: also collect the running text, which only readability needs.
    pub(super) fn new(text: bool) -> Self {
        Scanner {
            out: PageFacts::default(),
            heading: None,
            open: Vec::new(),
            code_depth: 0,
            block: Block::default(),
            text,
        }
    }

    fn flush(&mut self) {
        if !self.block.text.trim().is_empty() {
            self.out.blocks.push(std::mem::take(&mut self.block));
        } else if !self.block.text.is_empty() || !self.block.starts.is_empty() {
            self.block = Block::default();
        }
    }

    /// Takes one event; `start` is its byte offset in the body.
    pub(super) fn event(&mut self, event: &Event, start: usize) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.heading = Some(Heading {
                    level: *level as u8,
                    text: String::new(),
                    id: String::new(),
                    offset: start,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut h) = self.heading.take() {
                    h.text = h.text.trim().to_owned();
                    self.out.headings.push(h);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.out.links.push(Link {
                    text: String::new(),
                    dest: dest_url.to_string(),
                    offset: start,
                });
                self.open.push((false, self.out.links.len() - 1));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.out.images.push(Image {
                    alt: String::new(),
                    dest: dest_url.to_string(),
                    offset: start,
                });
                self.open.push((true, self.out.images.len() - 1));
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                self.open.pop();
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush();
                self.code_depth += 1;
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_depth = self.code_depth.saturating_sub(1);
            }
            Event::Start(tag) if is_block(tag) => self.flush(),
            Event::End(end) if is_block_end(*end) => self.flush(),
            Event::Text(t) | Event::Code(t) => {
                if self.code_depth > 0 {
                    return;
                }
                let inline_code = matches!(event, Event::Code(_));
                if let Some(h) = self.heading.as_mut() {
                    h.text.push_str(t);
                }
                for &(is_image, i) in &self.open {
                    if is_image {
                        self.out.images[i].alt.push_str(t);
                    } else {
                        self.out.links[i].text.push_str(t);
                    }
                }
                if self.text {
                    let in_image = self.open.iter().any(|(img, _)| *img);
                    if self.heading.is_none() && !in_image && !inline_code {
                        self.block.starts.push((self.block.text.len(), start));
                        self.block.text.push_str(t);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = self.heading.as_mut() {
                    h.text.push(' ');
                }
                for &(is_image, i) in &self.open {
                    if is_image {
                        self.out.images[i].alt.push(' ');
                    } else {
                        self.out.links[i].text.push(' ');
                    }
                }
                if self.text && self.heading.is_none() {
                    self.block.text.push(' ');
                }
            }
            _ => {}
        }
    }

    /// The headings seen so far (the renderer gives the last one its id).
    pub(super) fn headings_mut(&mut self) -> &mut Vec<Heading> {
        &mut self.out.headings
    }

    /// The facts of everything seen.
    pub(super) fn finish(mut self) -> PageFacts {
        self.flush();
        self.out
    }
}

fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(end: TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_plain;

    #[test]
    fn finds_headings_links_images_and_prose() {
        let body = "## What it is {#what}\n\nText with [a link](https://example.org/) and `code`.\n\n![](pic.png)\n\n```\nlet x = 1;\n```\n\n- one\n- two\n\n| A | B |\n|---|---|\n| cell one | cell two |\n";
        let s = render_plain(body).facts;
        assert_eq!(s.headings.len(), 1);
        assert_eq!(s.headings[0].text, "What it is");
        assert_eq!(s.headings[0].id, "what");
        assert_eq!(s.headings[0].level, 2);
        assert_eq!(s.links.len(), 1);
        assert_eq!(s.links[0].text, "a link");
        assert_eq!(s.links[0].dest, "https://example.org/");
        assert_eq!(s.images.len(), 1);
        assert_eq!(s.images[0].alt, "");
        let texts: Vec<&str> = s.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Text with a link and .",
                "one",
                "two",
                "A",
                "B",
                "cell one",
                "cell two"
            ]
        );
        assert!(!texts.iter().any(|t| t.contains("let x") || t.contains('|')));
    }
}
