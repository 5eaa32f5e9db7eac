//! Geometry shared by layout and drawing: rectangles, the text styles, positioned text
//! lines and the small glyphs the diagram uses. Coordinates are px in the SVG user space.

use super::font::{Fonts, Style};
use super::palette::Ink;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Rect { x, y, w, h }
    }
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    pub fn cx(&self) -> f32 {
        self.x + self.w / 2.0
    }
    pub fn cy(&self) -> f32 {
        self.y + self.h / 2.0
    }
    /// Shrinks (positive) or grows (negative) the rectangle on every side.
    pub fn inset(&self, d: f32) -> Rect {
        Rect::new(self.x + d, self.y + d, self.w - 2.0 * d, self.h - 2.0 * d)
    }
}

pub(crate) const LABEL: Style = Style::new(13.0, false);
pub(crate) const SMALL: Style = Style::new(11.0, false);
pub(crate) const SMALL_BOLD: Style = Style::new(11.0, true);
pub(crate) const BODY: Style = Style::new(12.0, false);
pub(crate) const HEAD: Style = Style::new(14.0, true);
pub(crate) const BODY_BOLD: Style = Style::new(12.0, true);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
}

/// One line of text; `y` is the baseline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub x: f32,
    pub y: f32,
    pub text: String,
    pub style: Style,
    pub ink: Ink,
    pub anchor: Anchor,
}

/// One `<text>` element: an id (paired with the rectangle it sits in) and its lines.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Label {
    pub id: String,
    pub lines: Vec<Line>,
}

/// Text in an area with no drawn border: headers and "not present" cells.
#[derive(Debug, Clone)]
pub(crate) struct Plain {
    pub id: String,
    pub rect: Rect,
    pub label: Label,
}

/// Wrapped lines of one style, not yet positioned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Para {
    pub lines: Vec<String>,
    pub style: Style,
    pub ink: Ink,
}

impl Para {
    pub fn wrap(f: &Fonts, text: &str, style: Style, ink: Ink, max_w: f32) -> Para {
        Para {
            lines: f.wrap(text, style, max_w),
            style,
            ink,
        }
    }
    /// A single line that is never wrapped (short fixed words).
    pub fn one(text: &str, style: Style, ink: Ink) -> Para {
        Para {
            lines: vec![text.to_string()],
            style,
            ink,
        }
    }
    pub fn height(&self) -> f32 {
        self.lines.len() as f32 * self.style.line_height()
    }
    pub fn width(&self, f: &Fonts) -> f32 {
        f.max_width(&self.lines, self.style)
    }
}

pub(crate) fn stack_height(paras: &[Para]) -> f32 {
    paras.iter().map(Para::height).sum()
}

/// Positions paragraphs one below the other from `top`, at `x` with `anchor`.
pub(crate) fn place(paras: &[Para], x: f32, top: f32, anchor: Anchor) -> Vec<Line> {
    let mut y = top;
    let mut out = Vec::new();
    for p in paras {
        for text in &p.lines {
            out.push(Line {
                x,
                y: y + p.style.baseline_offset(),
                text: text.clone(),
                style: p.style,
                ink: p.ink,
                anchor,
            });
            y += p.style.line_height();
        }
    }
    out
}

/// The small pictograms drawn from paths; positions are the glyph's centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Glyph {
    /// A shield with a keyhole: root of trust.
    Shield { x: f32, y: f32 },
    /// Head and shoulders: an actor.
    Person { x: f32, y: f32 },
    /// An open eye: can read data in use.
    Eye { x: f32, y: f32 },
    /// A padlock: cannot read data in use.
    Lock { x: f32, y: f32 },
    /// A circle crossed by a bar: not present (the model does not run the actor's layer).
    Absent { x: f32, y: f32 },
}

/// Width and height every glyph is designed to fit in.
pub(crate) const GLYPH: f32 = 12.0;
