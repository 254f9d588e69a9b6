//! Front matter values with the place they were written: [`Spanned`] wraps a
//! value with its [`Pos`] in the front matter block, so that a diagnostic can
//! point at the exact value without searching the text again.
//!
//! YAML and TOML have their own span types (serde-saphyr's and toml's
//! `Spanned`); this type reads whichever the parser in use provides, so the
//! front matter types are written once for both syntaxes. Not for anything
//! but front matter: `site.toml` uses toml's own spans.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::Cell;
use std::ops::Deref;

/// Which parser is deserializing on this thread (set by [`with_syntax`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Toml,
}

thread_local! {
    static SYNTAX: Cell<Option<Syntax>> = const { Cell::new(None) };
}

/// Runs `parse` with `syntax` recorded, so that [`Spanned`] values ask that
/// parser for their position.
pub fn with_syntax<R>(syntax: Syntax, parse: impl FnOnce() -> R) -> R {
    let previous = SYNTAX.replace(Some(syntax));
    let result = parse();
    SYNTAX.set(previous);
    result
}

/// Where a value starts inside its front matter block (the lines between
/// the delimiters). YAML reports line and column, TOML a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pos {
    /// 1-based line and column inside the block.
    LineCol(u32, u32),
    /// Byte offset inside the block.
    Offset(u32),
    /// Not known (a value made by medsite, not read from a file).
    #[default]
    Unknown,
}

impl Pos {
    /// 1-based line and column inside `block`, the front matter text.
    pub fn line_col(self, block: &str) -> Option<(usize, usize)> {
        match self {
            Pos::LineCol(0, _) | Pos::Unknown => None,
            Pos::LineCol(l, c) => Some((l as usize, c.max(1) as usize)),
            Pos::Offset(o) => Some(crate::diagnostics::line_col(block, o as usize)),
        }
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, Default)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Spanned<T> {
    /// A value without a position.
    pub fn new(value: T) -> Self {
        Spanned {
            value,
            pos: Pos::Unknown,
        }
    }
}

impl<T> Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    /// Positions do not count: the same value written elsewhere is equal.
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match SYNTAX.get() {
            Some(Syntax::Yaml) => {
                let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
                let (line, col) = (s.referenced.line(), s.referenced.column());
                Ok(Spanned {
                    value: s.value,
                    pos: Pos::LineCol(
                        u32::try_from(line).unwrap_or(0),
                        u32::try_from(col).unwrap_or(0),
                    ),
                })
            }
            Some(Syntax::Toml) => {
                let s = toml::Spanned::<T>::deserialize(d)?;
                let start = u32::try_from(s.span().start).unwrap_or(0);
                Ok(Spanned {
                    value: s.into_inner(),
                    pos: Pos::Offset(start),
                })
            }
            None => T::deserialize(d).map(Spanned::new),
        }
    }
}

impl<'a, T> IntoIterator for &'a Spanned<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.value.iter()
    }
}

/// The string of an optional spanned string.
pub fn text(v: &Option<Spanned<String>>) -> Option<&str> {
    v.as_ref().map(|s| s.value.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        a: Spanned<String>,
        list: Vec<Spanned<i64>>,
    }

    #[test]
    fn yaml_and_toml_give_positions() {
        let y: Doc = with_syntax(Syntax::Yaml, || {
            serde_saphyr::from_str("a: x\nlist:\n  - 1\n  - 2\n")
        })
        .unwrap();
        assert_eq!(y.a.value, "x");
        assert_eq!(y.a.pos, Pos::LineCol(1, 4));
        assert_eq!(y.list[1].pos.line_col(""), Some((4, 5)));
        let text = "a = \"x\"\nlist = [1,\n  2]\n";
        let t: Doc = with_syntax(Syntax::Toml, || toml::from_str(text)).unwrap();
        assert_eq!(t.a.pos.line_col(text), Some((1, 5)));
        assert_eq!(t.list[1].pos.line_col(text), Some((3, 3)));
    }
}
