//! HTML for `:::image` and `[!VIDEO]`. Images get a `<figure>`, a lazy `<img>` with its alt
//! text, an optional lightbox or link around it, and for `type="complex"` a long description
//! the image points at with `aria-describedby`. Videos are iframes that never autoplay, and
//! only http(s) sources are embedded.

use super::doc::Doc;
use super::{attr, required_source};
use crate::escape::html as esc;

/// The HTML before and after a complex image's long description (`close` is empty for the
/// other types, whose whole figure is in `open`).
pub(crate) struct Figure {
    pub open: String,
    pub close: String,
}

/// Build an image figure from parsed attributes; `None` (after a warning) when unusable.
pub(crate) fn image(
    doc: &mut Doc,
    line0: usize,
    col: usize,
    attrs: &[(String, String)],
) -> Option<Figure> {
    let kind = match attr(attrs, "type").map(str::to_ascii_lowercase).as_deref() {
        Some(k @ ("content" | "complex" | "icon")) => k.to_string(),
        Some(other) => {
            let msg = format!(
                "`:::image` type \"{other}\" is not one of content, complex, icon; using content"
            );
            doc.warn(line0, col, "docfx-image", msg);
            "content".to_string()
        }
        None => {
            let msg = "`:::image` has no type=\"content|complex|icon\"; using content";
            doc.warn(line0, col, "docfx-image", msg);
            "content".to_string()
        }
    };
    let source = required_source(doc, line0, col, attrs, "image")?;
    let line = line0 + 1;
    let src = doc.host.url(source, line, col, true);
    let alt = match (kind.as_str(), attr(attrs, "alt-text")) {
        ("icon", _) => String::new(),
        (_, Some(a)) if !a.trim().is_empty() => a.trim().to_string(),
        _ => {
            let msg =
                format!("`:::image` {source} has no alt-text=\"…\"; screen readers get nothing");
            doc.warn(line0, col, "docfx-image", msg);
            String::new()
        }
    };
    let border = match attr(attrs, "border")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("true") => true,
        Some("false") => false,
        Some(other) => {
            let msg = format!("`:::image` border=\"{other}\" should be true or false");
            doc.warn(line0, col, "docfx-image", msg);
            kind != "icon"
        }
        None => kind != "icon",
    };
    let mut img = format!(
        "<img src=\"{}\" alt=\"{}\" loading=\"lazy\"",
        esc(&src),
        esc(&alt)
    );
    if border {
        img.push_str(" class=\"td-border\"");
    }
    if kind == "icon" {
        img.push_str(" role=\"presentation\"");
    }
    let describe_id = (kind == "complex").then(|| {
        let n = doc.fresh_id();
        format!("td-longdesc-{}-{}-{n}", doc.id_key, slug(source))
    });
    if let Some(id) = &describe_id {
        img.push_str(&format!(" aria-describedby=\"{id}\""));
    }
    img.push('>');
    let wrapped = match (attr(attrs, "link"), attr(attrs, "lightbox")) {
        (Some(link), _) if !link.trim().is_empty() => {
            let href = doc.host.url(link.trim(), line, col, false);
            format!("<a href=\"{}\">{img}</a>", esc(&href))
        }
        (_, Some(lb)) if !lb.trim().is_empty() => {
            let href = doc.host.url(lb.trim(), line, col, true);
            format!("<a class=\"td-lightbox\" href=\"{}\">{img}</a>", esc(&href))
        }
        _ => img,
    };
    let open = format!("<figure class=\"td-figure td-figure-{kind}\">{wrapped}");
    Some(match describe_id {
        Some(id) => Figure {
            open: format!("{open}\n<div class=\"td-longdesc\" id=\"{id}\">\n"),
            close: "</div>\n</figure>\n".to_string(),
        },
        None => Figure {
            open: format!("{open}</figure>\n"),
            close: String::new(),
        },
    })
}

/// `[!VIDEO url]` as an embedded player, or a plain link or text for what cannot be embedded.
pub(crate) fn video(doc: &mut Doc, line0: usize, col: usize, url: &str) -> String {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        let clean = without_autoplay(url);
        let host = clean.split('/').nth(2).unwrap_or_default().to_string();
        let href = doc.host.url(&clean, line0 + 1, col, false);
        return format!(
            "<div class=\"td-video\"><iframe src=\"{}\" title=\"Video: {}\" loading=\"lazy\" allowfullscreen \
             referrerpolicy=\"strict-origin-when-cross-origin\"></iframe><p><a href=\"{}\">Watch the video</a></p></div>\n",
            esc(&clean),
            esc(&host),
            esc(&href)
        );
    }
    let has_scheme = url
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|head| head.contains(':'));
    if has_scheme {
        let msg = format!("`[!VIDEO {url}]` is not an http(s) address; it is shown as text");
        doc.warn(line0, col, "docfx-video", msg);
        return format!("<p class=\"td-video-link\">{}</p>\n", esc(url));
    }
    let msg = format!(
        "`[!VIDEO {url}]` is not an http(s) address, so it is not embedded; it is shown as a link"
    );
    doc.warn(line0, col, "docfx-video", msg);
    let href = doc.host.url(url, line0 + 1, col, false);
    format!(
        "<p class=\"td-video-link\"><a href=\"{}\">{}</a></p>\n",
        esc(&href),
        esc(url)
    )
}

/// Drop `autoplay`-style query parameters: a page must not start playing by itself.
fn without_autoplay(url: &str) -> String {
    let (main, fragment) = match url.find('#') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let Some((base, query)) = main.split_once('?') else {
        return url.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let key = p.split('=').next().unwrap_or_default().to_ascii_lowercase();
            !p.is_empty()
                && !matches!(
                    key.as_str(),
                    "autoplay" | "autostart" | "auto_play" | "auto-play"
                )
        })
        .collect();
    if kept.is_empty() {
        format!("{base}{fragment}")
    } else {
        format!("{base}?{}{fragment}", kept.join("&"))
    }
}

/// Lowercase letters and digits of a file name, joined by `-`, for readable ids.
fn slug(source: &str) -> String {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{assert_lines_kept, pre, render};
    use super::{slug, without_autoplay};

    #[test]
    fn content_image_with_lightbox_and_border() {
        let src = "Text.\n:::image type=\"content\" source=\"media/flow.png\" alt-text=\"Three boxes & a line\" lightbox='media/flow-big.png':::\n";
        let p = pre(src);
        assert_lines_kept(src, &p);
        let html = render(&p);
        insta::assert_snapshot!(html);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn icon_is_decorative_and_borderless() {
        let html = render(&pre(":::image  source=\"i.svg\"   type=\"icon\" :::\n"));
        assert!(
            html.contains("<img src=\"i.svg\" alt=\"\" loading=\"lazy\" role=\"presentation\">"),
            "{html}"
        );
        assert!(html.contains("td-figure-icon"), "{html}");
    }

    #[test]
    fn border_false_and_link() {
        let html = render(&pre(":::image type=\"content\" source=\"a.png\" alt-text=\"A\" border=\"false\" link=\"https://example.com\":::\n"));
        assert!(html.contains("<a href=\"https://example.com\"><img src=\"a.png\" alt=\"A\" loading=\"lazy\"></a>"), "{html}");
    }

    #[test]
    fn complex_image_has_long_description() {
        let src = "1. Look:\n\n   :::image type=\"complex\" source=\"media/big chart.png\" alt-text=\"Chart\":::\n      The chart rises **steadily**.\n\n      - point one\n   :::image-end:::\n\n1. Next\n";
        let p = pre(src);
        assert_lines_kept(src, &p);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let html = render(&p);
        insta::assert_snapshot!(html);
        let id_at = html.find("aria-describedby=\"").expect("described") + 18;
        let id: String = html[id_at..].chars().take_while(|c| *c != '"').collect();
        assert!(
            html.contains(&format!("<div class=\"td-longdesc\" id=\"{id}\">")),
            "{html}"
        );
        assert!(html.contains("<li>point one</li>"), "{html}");
    }

    #[test]
    fn image_problems_warn() {
        let p = pre(":::image type=\"content\" source=\"a.png\":::\n");
        assert_eq!(p.diagnostics[0].kind, "docfx-image");
        let p = pre(":::image type=\"complex\" source=\"a.png\" alt-text=\"x\":::\nno end\n");
        assert!(
            p.diagnostics
                .iter()
                .any(|d| d.message.contains("image-end")),
            "{:?}",
            p.diagnostics
        );
        let p = pre(":::image type=\"content\" source=\"a.png alt-text=\"x\":::\n");
        assert_eq!(p.diagnostics[0].kind, "docfx-image");
        assert!(
            render(&p).contains(":::image"),
            "a broken directive stays visible"
        );
    }

    #[test]
    fn video_is_embedded_without_autoplay() {
        let src = "[!VIDEO https://example.com/embed/xyz?autoplay=true]\n";
        let html = render(&pre(src));
        insta::assert_snapshot!(html);
        let p = pre("[!VIDEO javascript:alert(1)]\n");
        assert_eq!(p.diagnostics[0].kind, "docfx-video");
        let html = render(&p);
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
    }

    #[test]
    fn autoplay_and_slug_helpers() {
        assert_eq!(without_autoplay("https://a/b?AutoPlay=1"), "https://a/b");
        assert_eq!(
            without_autoplay("https://a/b?x=1&autoplay=1#t"),
            "https://a/b?x=1#t"
        );
        assert_eq!(slug("./media/My Diagram_v2.PNG"), "my-diagram-v2");
    }
}
