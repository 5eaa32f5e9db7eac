//! The bundled font (DejaVu Sans, regular and bold) and text measurement. Widths come
//! from the font's own advance widths and `kern` pairs, so the layout is the same on
//! every machine, and the rasterizer draws with exactly the same font.

use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId};

pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family name the SVG asks for first; the rasterizer maps every generic family to it.
pub(crate) const FAMILY: &str = "DejaVu Sans";
/// Fallbacks for browsers without the font: Vera has identical metrics, the rest are
/// narrower than DejaVu, so measured labels still fit. Written as the SVG attribute
/// holds it, the quotes around family names as `&#39;` (as every earlier build wrote
/// them, so the bytes did not change when the shared escaper took over).
pub(crate) const FONT_STACK: &str =
    "&#39;DejaVu Sans&#39;, &#39;Bitstream Vera Sans&#39;, Verdana, Arial, Helvetica, sans-serif";

/// Parsed faces, shared by every render.
pub(crate) struct Fonts {
    regular: Face<'static>,
    bold: Face<'static>,
}

static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();

/// The parsed bundled faces, or why they could not be parsed.
pub(crate) fn fonts() -> Result<&'static Fonts, String> {
    FONTS
        .get_or_init(|| {
            let regular = Face::parse(REGULAR_TTF, 0)
                .map_err(|e| format!("bundled font DejaVuSans.ttf cannot be parsed: {e}"))?;
            let bold = Face::parse(BOLD_TTF, 0)
                .map_err(|e| format!("bundled font DejaVuSans-Bold.ttf cannot be parsed: {e}"))?;
            Ok(Fonts { regular, bold })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A text style: size in px and weight. Everything is drawn in the one family.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub size: f32,
    pub bold: bool,
}

impl Style {
    pub const fn new(size: f32, bold: bool) -> Self {
        Style { size, bold }
    }

    /// Baseline-to-baseline distance. DejaVu's ascent plus descent is 1.164 em, so
    /// 1.3 em leaves a little air between lines without looking loose.
    pub fn line_height(self) -> f32 {
        (self.size * 1.3).ceil()
    }

    /// Distance from the top of a line box to its baseline, centring the font's
    /// ascent + descent inside the line height.
    pub fn baseline_offset(self) -> f32 {
        let ascent = 0.928 * self.size;
        let descent = 0.236 * self.size;
        (self.line_height() - (ascent + descent)) / 2.0 + ascent
    }
}

impl Fonts {
    pub(crate) fn face(&self, bold: bool) -> &Face<'static> {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// Advance width of `text` in px, with kerning from the `kern` table when present.
    pub fn width(&self, text: &str, style: Style) -> f32 {
        self.each_glyph(text, style, |_, _| ())
    }

    /// Calls `at(glyph, x)` for each character's glyph with its pen position in px from
    /// the start of the line, and returns the line's advance width. Measuring and the
    /// rasterizer's text drawing both go through here, so they cannot disagree.
    pub(crate) fn each_glyph(
        &self,
        text: &str,
        style: Style,
        mut at: impl FnMut(GlyphId, f32),
    ) -> f32 {
        let face = self.face(style.bold);
        let px_per_unit = style.size / f32::from(face.units_per_em().max(1));
        let mut units: i64 = 0;
        let mut prev: Option<GlyphId> = None;
        for ch in text.chars() {
            // Characters the font lacks are drawn as .notdef (glyph 0); measure that.
            let gid = face.glyph_index(ch).unwrap_or(GlyphId(0));
            if let Some(left) = prev {
                units += i64::from(kerning(face, left, gid));
            }
            at(gid, units as f32 * px_per_unit);
            units += i64::from(face.glyph_hor_advance(gid).unwrap_or(0));
            prev = Some(gid);
        }
        units as f32 * px_per_unit
    }

    /// Greedy word wrap into lines no wider than `max` px; a word longer than a whole
    /// line is broken between characters. Always returns at least one line.
    pub fn wrap(&self, text: &str, style: Style, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate, style) <= max {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            if self.width(word, style) <= max {
                current = word.to_string();
            } else {
                current = self.break_word(word, style, max, &mut lines);
            }
        }
        if !current.is_empty() || lines.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// Pushes full-width pieces of `word` to `lines` and returns the remainder.
    fn break_word(&self, word: &str, style: Style, max: f32, lines: &mut Vec<String>) -> String {
        let mut piece = String::new();
        for ch in word.chars() {
            piece.push(ch);
            if self.width(&piece, style) > max && piece.chars().count() > 1 {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(ch);
            }
        }
        piece
    }

    /// Width of the widest line.
    pub fn max_width(&self, lines: &[String], style: Style) -> f32 {
        lines
            .iter()
            .map(|l| self.width(l, style))
            .fold(0.0, f32::max)
    }
}

fn kerning(face: &Face<'_>, left: GlyphId, right: GlyphId) -> i16 {
    let Some(kern) = face.tables().kern else {
        return 0;
    };
    kern.subtables
        .into_iter()
        .filter(|s| s.horizontal && !s.variable && !s.has_cross_stream)
        .find_map(|s| s.glyphs_kerning(left, right))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Style = Style::new(13.0, false);

    #[test]
    fn widths_grow_with_text_and_bold_is_wider() {
        let f = fonts().unwrap();
        let a = f.width("Hypervisor", BODY);
        let b = f.width("Hypervisor and host", BODY);
        assert!(a > 40.0 && a < 100.0, "{a}");
        assert!(b > a);
        assert!(f.width("Hypervisor", Style::new(13.0, true)) > a);
        assert_eq!(f.width("", BODY), 0.0);
    }

    #[test]
    fn wrap_keeps_every_line_within_the_limit() {
        let f = fonts().unwrap();
        let text = "Kubelet, Kata shim, control plane and a deliberately long tail of words";
        let lines = f.wrap(text, BODY, 120.0);
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(f.width(l, BODY) <= 120.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn wrap_breaks_words_longer_than_a_line() {
        let f = fonts().unwrap();
        let word = "Supercalifragilisticexpialidocious-firmware-module";
        let lines = f.wrap(word, BODY, 60.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.concat(), word);
        for l in &lines {
            assert!(f.width(l, BODY) <= 60.0, "{l}");
        }
    }

    #[test]
    fn wrap_of_empty_text_is_one_empty_line() {
        let f = fonts().unwrap();
        assert_eq!(f.wrap("   ", BODY, 50.0), vec![String::new()]);
    }

    #[test]
    fn font_covers_the_marks_we_draw() {
        let f = fonts().unwrap();
        for ch in "¹²³⁴⁵⁶⁷⁸⁹⁰·–".chars() {
            assert!(f.regular.glyph_index(ch).is_some(), "missing {ch}");
        }
    }
}
