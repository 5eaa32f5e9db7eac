//! Zone pivot definitions (`zone-pivot-groups.yml`) and the per-page view of them that
//! `preprocess` uses to label `::: zone pivot="…"` blocks. A page names its groups in front
//! matter (`zone_pivot_groups: a, b`); the core looks them up with `PivotGroups::config_for`.

use crate::error::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Pivot titles known to one page: pivot id → title. Empty means "render zones, check nothing".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PivotConfig {
    pub titles: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PivotGroup {
    pub id: String,
    pub title: String,
    pub prompt: Option<String>,
    /// (pivot id, title) in file order.
    pub pivots: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PivotGroups {
    pub groups: Vec<PivotGroup>,
}

impl PivotGroups {
    /// The titles for a page whose front matter lists `names` (comma-separated values
    /// are split). Unknown group names are returned so the core can report them.
    pub fn config_for(&self, names: &[&str]) -> (PivotConfig, Vec<String>) {
        let mut cfg = PivotConfig::default();
        let mut unknown = Vec::new();
        for name in names
            .iter()
            .flat_map(|n| n.split(','))
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            match self.groups.iter().find(|g| g.id == name) {
                Some(g) => {
                    for (id, title) in &g.pivots {
                        cfg.titles.insert(id.clone(), title.clone());
                    }
                }
                None => unknown.push(name.to_string()),
            }
        }
        (cfg, unknown)
    }
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    groups: Vec<RawGroup>,
}

#[derive(Deserialize)]
struct RawGroup {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    prompt: Option<String>,
    #[serde(default)]
    pivots: Vec<RawPivot>,
}

#[derive(Deserialize)]
struct RawPivot {
    id: String,
    #[serde(default)]
    title: Option<String>,
}

/// Parse `zone-pivot-groups.yml`. Errors carry the YAML line and column.
pub fn parse_pivot_groups(display_path: &str, src: &str) -> Result<PivotGroups, Vec<Diagnostic>> {
    let raw: RawFile = serde_saphyr::from_str(src)
        .map_err(|e| vec![yaml_error(display_path, &e, "zone-pivots")])?;
    Ok(PivotGroups {
        groups: raw
            .groups
            .into_iter()
            .map(|g| PivotGroup {
                title: g.title.unwrap_or_else(|| g.id.clone()),
                id: g.id,
                prompt: g.prompt,
                pivots: g
                    .pivots
                    .into_iter()
                    .map(|p| (p.title.unwrap_or_else(|| p.id.clone()), p.id))
                    .map(|(t, id)| (id, t))
                    .collect(),
            })
            .collect(),
    })
}

/// A serde-saphyr error as a located diagnostic (shared by the YAML readers here).
pub(crate) fn yaml_error(path: &str, e: &serde_saphyr::Error, kind: &str) -> Diagnostic {
    let (line, col) = e.location().map_or((0, 0), |l| {
        (
            usize::try_from(l.line()).unwrap_or(0),
            usize::try_from(l.column()).unwrap_or(0),
        )
    });
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    Diagnostic::error(path, line, col, kind, without_position(first))
}

/// Drop a trailing "at line N, column M": the diagnostic carries the position already.
pub(crate) fn without_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(at) if msg[at + 9..].starts_with(|c: char| c.is_ascii_digit()) => {
            msg[..at].to_string()
        }
        _ => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pivot_groups_give_titles() {
        let src = "### YamlMime:ZonePivotGroups\ngroups:\n- id: shells\n  title: Shell\n  prompt: Pick a shell\n  pivots:\n  - id: bash\n    title: Bash\n  - id: pwsh\n";
        let groups = parse_pivot_groups("zone-pivot-groups.yml", src).expect("parses");
        let (cfg, unknown) = groups.config_for(&["shells, nope"]);
        assert_eq!(cfg.titles.get("bash").map(String::as_str), Some("Bash"));
        assert_eq!(cfg.titles.get("pwsh").map(String::as_str), Some("pwsh"));
        assert_eq!(unknown, vec!["nope".to_string()]);
        let err =
            parse_pivot_groups("z.yml", "groups:\n- title: no id\n").expect_err("id is required");
        assert_eq!(err[0].line, 2, "{:?}", err);
        assert!(
            !err[0].message.contains("line 2"),
            "position not repeated: {:?}",
            err
        );
    }
}
