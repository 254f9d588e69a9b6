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
    /// The TOML block being parsed, to turn toml's byte offsets into lines.
    static TOML_TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Runs `parse` with `syntax` recorded, so that [`Spanned`] values ask that
/// parser for their position. `block` is the text being parsed.
pub fn with_syntax<R>(syntax: Syntax, block: &str, parse: impl FnOnce() -> R) -> R {
    if syntax == Syntax::Toml {
        TOML_TEXT.with_borrow_mut(|t| {
            t.clear();
            t.push_str(block);
        });
    }
    let previous = SYNTAX.replace(Some(syntax));
    let result = parse();
    SYNTAX.set(previous);
    result
}

/// Where a value starts inside its front matter block (the lines between
/// the delimiters): 1-based line and column; line 0 when not known (a
/// value made by medsite, not read from a file). Eight bytes, as every
/// value of every page carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    line: u32,
    column: u32,
}

impl Pos {
    /// A value that was not read from a file.
    pub const UNKNOWN: Pos = Pos { line: 0, column: 0 };

    fn new(line: usize, column: usize) -> Pos {
        Pos {
            line: u32::try_from(line).unwrap_or(0),
            column: u32::try_from(column).unwrap_or(0),
        }
    }

    /// 1-based line and column inside the block, when known.
    pub fn line_col(self) -> Option<(usize, usize)> {
        (self.line > 0).then(|| (self.line as usize, self.column.max(1) as usize))
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, Default)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

/// A spanned value has the schema of its value: the position is medsite's
/// own, not part of what is written.
impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

impl<T> Spanned<T> {
    /// A value without a position.
    pub fn new(value: T) -> Self {
        Spanned {
            value,
            pos: Pos::UNKNOWN,
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
                    pos: Pos::new(line as usize, col as usize),
                })
            }
            Some(Syntax::Toml) => {
                let s = toml::Spanned::<T>::deserialize(d)?;
                let (line, col) =
                    TOML_TEXT.with_borrow(|t| crate::diagnostics::line_col(t, s.span().start));
                Ok(Spanned {
                    value: s.into_inner(),
                    pos: Pos::new(line, col),
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

/// The string of an optional spanned string (a `String`, or a `Box<str>`
/// where every page keeps it).
pub fn text<T: AsRef<str>>(v: &Option<Spanned<T>>) -> Option<&str> {
    v.as_ref().map(|s| s.value.as_ref())
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
        let text = "a: x\nlist:\n  - 1\n  - 2\n";
        let y: Doc = with_syntax(Syntax::Yaml, text, || serde_saphyr::from_str(text)).unwrap();
        assert_eq!(y.a.value, "x");
        assert_eq!(y.a.pos.line_col(), Some((1, 4)));
        assert_eq!(y.list[1].pos.line_col(), Some((4, 5)));
        let text = "a = \"x\"\nlist = [1,\n  2]\n";
        let t: Doc = with_syntax(Syntax::Toml, text, || toml::from_str(text)).unwrap();
        assert_eq!(t.a.pos.line_col(), Some((1, 5)));
        assert_eq!(t.list[1].pos.line_col(), Some((3, 3)));
        assert_eq!(Spanned::new(1).pos.line_col(), None);
    }
}
