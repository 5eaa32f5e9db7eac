//! DocFX syntax end to end through the CLI, on a small Learn-style folder written here.

mod common;
use common::TestSite;

fn learn_site() -> TestSite {
    let s = TestSite::new();
    s.file("TOC.yml", "- name: Start\n  href: index.md\n- name: Tasks\n  expanded: true\n  items:\n  - name: Set up\n    href: setup.md\n  - name: Elsewhere\n    href: ../other-docset/page.md\n")
        .file("zone-pivot-groups.yml", "groups:\n- id: platform\n  title: Platform\n  prompt: Choose a platform\n  pivots:\n  - id: linux\n    title: Linux\n  - id: windows\n    title: Windows\n")
        .file("includes/shared-step.md", "Run the **shared** step first.\n")
        .file("index.md", "---\ntitle: Start\nms.date: 11/04/2021\n---\n# Start\n\n> [!TIP]\n> Read [Set up](setup.md#install) next.\n\n[!INCLUDE [step](includes/shared-step.md)]\n")
        .file(
            "setup.md",
            "---\ntitle: Set up\nzone_pivot_groups: platform\n---\n# Set up\n\n## Install\n\n# [Linux](#tab/linux)\n\n```bash\nsudo apt install thing\n```\n\n# [Windows](#tab/windows)\n\nUse the installer.\n\n---\n\n::: zone pivot=\"linux\"\n\nLinux only text.\n\n::: zone-end\n\n:::image type=\"complex\" source=\"media/flow.png\" alt-text=\"Flow of the install\":::\nThe install goes from A to B.\n:::image-end:::\n",
        )
        .bytes("media/flow.png", b"\x89PNG fake");
    s
}

#[test]
fn docfx_constructs_render() {
    let s = learn_site();
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let home = s.out("index.html");
    assert!(home.contains("td-alert td-alert-tip"), "alert");
    assert!(
        home.contains("Run the <strong>shared</strong> step first."),
        "include rendered"
    );
    assert!(
        home.contains("href=\"setup/#install\""),
        "link in alert rewritten"
    );
    assert!(home.contains("November 4, 2021"));
    let setup = s.out("setup/index.html");
    assert!(setup.contains("class=\"td-tabs\""), "tabs");
    assert!(setup.contains("class=\"td-zone\""), "zone pivot");
    assert!(
        setup.contains("aria-describedby"),
        "complex image long description"
    );
    assert!(
        setup.contains("src=\"../media/flow.png\""),
        "image path from the page's URL"
    );
    assert!(setup.contains("Tasks"), "sidebar from TOC.yml");
    assert!(
        setup.contains("../other-docset/page.md"),
        "other doc set kept as a link"
    );
}

#[test]
fn include_cycle_and_escape_are_refused() {
    let s = learn_site();
    s.file("includes/a.md", "[!INCLUDE [b](b.md)]\n")
        .file("includes/b.md", "[!INCLUDE [a](a.md)]\n")
        .file(
            "loop.md",
            "# Loop\n\n[!INCLUDE [a](includes/a.md)]\n\n[!INCLUDE [x](../../../etc/passwd)]\n",
        );
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("include cycle"), "{}", r.stderr);
    assert!(r.stderr.contains("loop.md:5:"), "{}", r.stderr);
    assert!(r.stderr.contains("outside the site root"), "{}", r.stderr);
}
