//! Colours of the diagram, light and dark, and the `<style>` that switches between them.
//!
//! Every drawn element carries both a class (`td-f-NAME` for fill, `td-s-NAME` for
//! stroke) and a plain presentation attribute with the light colour. Browsers apply the
//! class rules, which read CSS custom properties and so follow the page's theme; SVG
//! renderers without CSS variables (resvg, most image viewers) never see those rules,
//! because they sit inside an `@supports` block that such renderers skip, and draw the
//! light colours from the attributes. That is why a standalone file renders anywhere.

use std::fmt::Write as _;

/// One named colour with its light and dark value (`#rrggbb`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Swatch {
    pub name: &'static str,
    pub light: &'static str,
    pub dark: &'static str,
}

const fn sw(name: &'static str, light: &'static str, dark: &'static str) -> Swatch {
    Swatch { name, light, dark }
}

/// Named colours. Text, lines and fills are kept apart so the contrast test below can
/// check each pairing that actually occurs in a drawing.
pub(crate) const PALETTE: &[Swatch] = &[
    sw("canvas", "#ffffff", "#0d1117"),
    sw("panel", "#f6f8fa", "#161b22"),
    sw("ink", "#1f2328", "#e6edf3"),
    sw("muted", "#59636e", "#9ea7b3"),
    sw("rule", "#6e7781", "#7d8590"),
    sw("prot", "#ddf4ff", "#0c2d6b"),
    sw("untr", "#f6f8fa", "#1c2128"),
    sw("hatch", "#848d97", "#636c76"),
    sw("root", "#fff8c5", "#3b2300"),
    sw("rootline", "#9a6700", "#d29922"),
    sw("tb", "#0969da", "#4493f8"),
    sw("can", "#ffebe9", "#4c1519"),
    sw("canink", "#a40e26", "#ff9492"),
    sw("cannot", "#dafbe1", "#0f3d1f"),
    sw("cannotink", "#116329", "#56d364"),
];

/// Colour roles used by the drawing code; each names a [`PALETTE`] entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ink {
    Canvas,
    Panel,
    Text,
    Muted,
    Rule,
    Prot,
    Untr,
    Hatch,
    Root,
    RootLine,
    Boundary,
    Can,
    CanMark,
    Cannot,
    CannotMark,
}

impl Ink {
    pub fn name(self) -> &'static str {
        match self {
            Ink::Canvas => "canvas",
            Ink::Panel => "panel",
            Ink::Text => "ink",
            Ink::Muted => "muted",
            Ink::Rule => "rule",
            Ink::Prot => "prot",
            Ink::Untr => "untr",
            Ink::Hatch => "hatch",
            Ink::Root => "root",
            Ink::RootLine => "rootline",
            Ink::Boundary => "tb",
            Ink::Can => "can",
            Ink::CanMark => "canink",
            Ink::Cannot => "cannot",
            Ink::CannotMark => "cannotink",
        }
    }

    /// The light value, used as presentation attribute and `var()` fallback.
    pub fn light(self) -> &'static str {
        let name = self.name();
        PALETTE
            .iter()
            .find(|s| s.name == name)
            .map_or("#000000", |s| s.light)
    }
}

/// Paint attributes for an element: its classes plus light-palette presentation
/// attributes (`fill="none"` when it has no fill role).
pub(crate) fn paint(fill: Option<Ink>, stroke: Option<Ink>) -> String {
    let mut class = String::new();
    let mut attrs = String::new();
    match fill {
        Some(f) => {
            let _ = write!(class, "td-f-{}", f.name());
            let _ = write!(attrs, " fill=\"{}\"", f.light());
        }
        None => attrs.push_str(" fill=\"none\""),
    }
    if let Some(s) = stroke {
        if !class.is_empty() {
            class.push(' ');
        }
        let _ = write!(class, "td-s-{}", s.name());
        let _ = write!(attrs, " stroke=\"{}\"", s.light());
    }
    if class.is_empty() {
        attrs.trim_start().to_string()
    } else {
        format!("class=\"{class}\"{attrs}")
    }
}

/// The `<style>` content shared by inline and standalone SVG.
pub(crate) fn stylesheet() -> String {
    let mut css = String::with_capacity(4096);
    let vars = |css: &mut String, dark: bool| {
        for s in PALETTE {
            let _ = write!(
                css,
                "--td-{}:{};",
                s.name,
                if dark { s.dark } else { s.light }
            );
        }
    };
    css.push_str(".td-diagram{");
    vars(&mut css, false);
    css.push_str(
        "}\n@media (prefers-color-scheme: dark){:root:not([data-theme=\"light\"]) .td-diagram{",
    );
    vars(&mut css, true);
    css.push_str("}}\n:root[data-theme=\"dark\"] .td-diagram{");
    vars(&mut css, true);
    css.push_str(
        "}\n@supports (fill:var(--td-canvas)){\n.td-diagram{max-width:100%;height:auto}\n",
    );
    for s in PALETTE {
        let _ = writeln!(
            css,
            ".td-diagram .td-f-{n}{{fill:var(--td-{n},{l})}}.td-diagram .td-s-{n}{{stroke:var(--td-{n},{l})}}",
            n = s.name,
            l = s.light
        );
    }
    css.push('}');
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> Option<f64> {
        let h = hex.strip_prefix('#')?;
        if h.len() != 6 {
            return None;
        }
        let channel = |i: usize| -> Option<f64> {
            let v = u8::from_str_radix(h.get(i..i + 2)?, 16).ok()?;
            let c = f64::from(v) / 255.0;
            Some(if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            })
        };
        Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
    }

    /// WCAG 2 contrast ratio between two `#rrggbb` colours (1 to 21).
    fn contrast(a: &str, b: &str) -> Option<f64> {
        let (la, lb) = (luminance(a)?, luminance(b)?);
        let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
        Some((hi + 0.05) / (lo + 0.05))
    }

    fn lookup(name: &str, dark: bool) -> &'static str {
        let s = PALETTE.iter().find(|s| s.name == name).unwrap();
        if dark {
            s.dark
        } else {
            s.light
        }
    }

    /// Text colours and the backgrounds they are drawn on.
    const TEXT_ON: &[(&str, &[&str])] = &[
        ("ink", &["canvas", "panel", "prot", "untr", "root"]),
        ("muted", &["canvas", "panel", "prot", "untr", "root"]),
        ("tb", &["canvas", "untr"]),
        ("canink", &["can"]),
        ("cannotink", &["cannot"]),
    ];
    /// Lines, outlines and glyphs and what they sit on or next to.
    const LINES_ON: &[(&str, &[&str])] = &[
        ("rule", &["canvas", "panel", "prot", "untr", "root"]),
        ("hatch", &["untr"]),
        ("tb", &["canvas", "untr", "panel"]),
        ("rootline", &["root", "canvas", "panel"]),
        ("canink", &["can", "canvas", "panel"]),
        ("cannotink", &["cannot", "canvas", "panel"]),
        ("ink", &["panel"]),
    ];

    #[test]
    fn both_palettes_meet_wcag_contrast() {
        let mut failures = Vec::new();
        for dark in [false, true] {
            for (set, min) in [(TEXT_ON, 4.5), (LINES_ON, 3.0)] {
                for (fg, bgs) in set {
                    for bg in *bgs {
                        let r = contrast(lookup(fg, dark), lookup(bg, dark)).unwrap();
                        if r < min {
                            failures.push(format!("{fg} on {bg} (dark={dark}): {r:.2} < {min}"));
                        }
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn contrast_matches_known_values() {
        let bw = contrast("#000000", "#ffffff").unwrap();
        assert!((bw - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#ffffff").unwrap() - 4.48).abs() < 0.01);
        assert_eq!(contrast("#fff", "#000000"), None);
    }

    #[test]
    fn every_role_names_a_palette_entry() {
        use Ink::*;
        for ink in [
            Canvas, Panel, Text, Muted, Rule, Prot, Untr, Hatch, Root, RootLine, Boundary, Can,
            CanMark, Cannot, CannotMark,
        ] {
            assert!(PALETTE.iter().any(|s| s.name == ink.name()), "{ink:?}");
        }
    }

    #[test]
    fn stylesheet_has_theme_hooks_and_guarded_rules() {
        let css = stylesheet();
        assert!(css.contains(
            "@media (prefers-color-scheme: dark){:root:not([data-theme=\"light\"]) .td-diagram{"
        ));
        assert!(css.contains(":root[data-theme=\"dark\"] .td-diagram{--td-canvas:#0d1117;"));
        assert!(css.contains(".td-diagram .td-f-prot{fill:var(--td-prot,#ddf4ff)}"));
        // Rules that use var() must sit inside the @supports block.
        let guard = css.find("@supports").unwrap();
        assert!(css.find("var(--td-").unwrap() > guard);
    }
}
