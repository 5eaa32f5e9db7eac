//! `trustdoc init DIR`: writes a small working site (config, two pages, comparison data,
//! a template override example) so a new user starts from something that builds.

use std::fs;
use std::path::Path;

const FILES: [(&str, &str); 6] = [
    ("trustdoc.toml", include_str!("init/trustdoc.toml")),
    ("content/index.md", include_str!("init/index.md")),
    ("content/choose.md", include_str!("init/choose.md")),
    ("content/models.toml", include_str!("init/models.toml")),
    ("templates/page.html", include_str!("init/page.html")),
    (".gitignore", "/public\n"),
];

/// Creates the site; refuses a folder that already has files in it.
pub fn init(dir: &Path) -> Result<usize, String> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "{} is not empty; choose a new folder",
                dir.display()
            ));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(FILES.len())
}
