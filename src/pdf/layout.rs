//! Text measurement and line wrapping. printpdf places text but does not wrap it, so lines are
//! broken here from the fonts' own glyph advances (read with ttf-parser). Written by hand because no
//! maintained crate wraps by real glyph widths for an arbitrary TrueType font without pulling in a
//! full shaping and layout engine; the rules are small: break at spaces, and inside a word only
//! when the word alone is wider than the line.

use std::collections::HashMap;

/// Advance widths of one font, in font units, for the characters it has.
#[derive(Debug, Clone)]
pub struct Metrics {
    units_per_em: f32,
    advances: HashMap<char, u16>,
    /// Width used for a character the font lacks (it would show as a box).
    fallback: u16,
}

/// Why a font could not be read.
#[derive(Debug, thiserror::Error)]
#[error("the font could not be read: {0}")]
pub struct FontError(String);

impl Metrics {
    /// Reads the advances of every character the font maps.
    pub fn from_font(bytes: &[u8]) -> Result<Self, FontError> {
        let face = ttf_parser::Face::parse(bytes, 0).map_err(|e| FontError(e.to_string()))?;
        let mut advances = HashMap::new();
        if let Some(cmap) = face.tables().cmap {
            for subtable in cmap.subtables {
                if !subtable.is_unicode() {
                    continue;
                }
                subtable.codepoints(|cp| {
                    if let Some(c) = char::from_u32(cp)
                        && let Some(glyph) = subtable.glyph_index(cp)
                        && let Some(advance) = face.glyph_hor_advance(glyph)
                    {
                        advances.insert(c, advance);
                    }
                });
            }
        }
        let fallback = face
            .glyph_index('M')
            .and_then(|g| face.glyph_hor_advance(g))
            .unwrap_or(face.units_per_em());
        Ok(Self {
            units_per_em: f32::from(face.units_per_em()),
            advances,
            fallback,
        })
    }

    /// Width of `text` at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .filter(|c| !is_isolation_mark(*c))
            .map(|c| u32::from(self.advances.get(&c).copied().unwrap_or(self.fallback)))
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// Breaks `text` into lines no wider than `max_width` points at `size`. Existing line breaks
    /// are kept; spaces at a break are dropped; a word wider than a line is split between
    /// characters. An empty text gives no lines.
    pub fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= max_width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if self.width(word, size) <= max_width {
                    line = word.to_owned();
                } else {
                    // Split an overlong word (a long code, a URL) between characters.
                    for c in word.chars() {
                        let mut next = line.clone();
                        next.push(c);
                        if !line.is_empty() && self.width(&next, size) > max_width {
                            lines.push(std::mem::take(&mut line));
                            line.push(c);
                        } else {
                            line = next;
                        }
                    }
                }
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        lines
    }
}

/// The Unicode marks Fluent puts around inserted values (first strong isolate, pop directional
/// isolate). The PDF's text is laid out left to right by us, the fonts have no glyph for them, and
/// text extracted from the PDF should not carry them: they are dropped.
pub fn is_isolation_mark(c: char) -> bool {
    matches!(c, '\u{2068}' | '\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regular() -> Metrics {
        Metrics::from_font(dejavu::sans::regular()).unwrap()
    }

    #[test]
    fn widths_come_from_the_font_and_scale_with_size() {
        let m = regular();
        let w10 = m.width("Hello", 10.0);
        assert!((m.width("Hello", 20.0) - 2.0 * w10).abs() < 1e-3);
        assert!(
            m.width("WWW", 10.0) > m.width("iii", 10.0),
            "proportional, not monospace"
        );
        // DejaVu Sans: 'M' is 1767 of 2048 units.
        assert!((m.width("M", 2048.0) - 1767.0).abs() < 0.5);
        assert!(m.width("Città Łódź Núñez", 10.0) > 0.0);
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word_in_order() {
        let m = regular();
        let text = "She meets her counsellor twice a week and has started a cooking course with two other women from the shelter.";
        let lines = m.wrap(text, 9.0, 120.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(m.width(line, 9.0) <= 120.0, "{line:?} is too wide");
            assert!(!line.starts_with(' ') && !line.ends_with(' '));
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_word_wider_than_the_line_is_split_between_characters() {
        let m = regular();
        let word = "x".repeat(80);
        let lines = m.wrap(&word, 10.0, 50.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| m.width(l, 10.0) <= 50.0));
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn line_breaks_in_the_text_are_kept_and_empty_text_has_no_lines() {
        let m = regular();
        assert_eq!(m.wrap("one\ntwo", 10.0, 500.0), ["one", "two"]);
        assert!(m.wrap("   ", 10.0, 100.0).is_empty());
    }
}
