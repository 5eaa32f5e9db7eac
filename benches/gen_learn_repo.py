#!/usr/bin/env python3
"""Writes a synthetic Microsoft Learn repository shaped like a real one of about 315
articles: docfx.json (src articles -> dest .), .openpublishing.publish.config.json naming
five dependent repositories that are not cloned, six docsets each with a TOC.yml and an
index.yml landing page, includes/ folders, media, tabs, alerts, zone pivots and
:::image / :::code blocks, with 268 includes and 23 code blocks pointing into the absent
repositories (the counts of the real one). Text is generated here, deterministic, no
network and no input files.

    benches/gen_learn_repo.py OUT_DIR [ARTICLES]     (default 315)
"""

import json
import os
import random
import sys

DEPS = [
    "reusable-content",
    "azure-dev-docs-pr",
    "quickstart-templates",
    "terraform_samples",
    "azure-policy-autogen-docs",
]
DOCSETS = ["attestation", "enclaves", "containers", "virtual-machines", "key-release", "ledger"]
WORDS = (
    "secure enclave memory attestation policy key release container workload cluster node "
    "identity token certificate storage network vault service region deployment template "
    "runtime platform trusted hardware guest host image disk encryption report claim verify"
).split()


def sentence(rng, n=14):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def article(rng, docset, i, names, dep_includes, dep_codes):
    title = f"{docset.replace('-', ' ').title()} topic {i}"
    out = [
        "---",
        f"title: {title}",
        f"description: {sentence(rng, 10)}",
        "ms.service: fixture",
        "ms.topic: conceptual",
        "ms.date: 03/14/2024",
        "---",
        "",
        f"# {title}",
        "",
        paragraph(rng),
        "",
        "[!INCLUDE [local](includes/shared-note.md)]",
        "",
    ]
    for _ in range(dep_includes):
        dep = rng.choice(DEPS[:2])
        out += [f"[!INCLUDE [dep](~/{dep}/includes/part-{rng.randrange(40)}.md)]", ""]
    for _ in range(dep_codes):
        dep = rng.choice(DEPS[2:])
        out += [f':::code language="json" source="~/{dep}/samples/s{rng.randrange(20)}.json":::', ""]
    for h in range(5):
        out += [f"## Section {h} of {i}", "", paragraph(rng, 5), ""]
        if h == 1:
            out += ["> [!NOTE]", f"> {sentence(rng)}", ""]
        if h == 2:
            out += [
                "# [Azure CLI](#tab/azure-cli)",
                "",
                "```azurecli",
                f"az group create --name rg{i} --location westus",
                "```",
                "",
                "# [PowerShell](#tab/azure-powershell)",
                "",
                "```azurepowershell",
                f"New-AzResourceGroup -Name rg{i} -Location westus",
                "```",
                "",
                "---",
                "",
            ]
        if h == 3:
            out += [
                f':::image type="content" source="media/figure-{i % 8}.png" alt-text="{sentence(rng, 6)}":::',
                "",
            ]
        if h == 4:
            other = rng.choice(names)
            out += [f"See [the related topic]({other}#section-1-of-{other[6:-3]}) and [Azure CLI](#tab/azure-cli).", ""]
            out += [
                ":::code language=\"python\" source=\"includes/sample.py\" range=\"1-3\":::",
                "",
            ]
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 315
    rng = random.Random(17)
    write(
        root,
        "docfx.json",
        json.dumps(
            {
                "build": {
                    "content": [
                        {
                            "files": ["**/*.md", "**/*.yml"],
                            "exclude": ["**/includes/**", "**/obj/**"],
                            "src": "articles",
                            "dest": ".",
                        },
                        {"files": ["breadcrumb/toc.yml"], "src": ".", "dest": "."},
                    ],
                    "resource": [
                        {"files": ["**/*.png", "**/*.svg"], "exclude": ["**/obj/**"], "src": "articles", "dest": "."}
                    ],
                }
            },
            indent=2,
        ),
    )
    write(
        root,
        ".openpublishing.publish.config.json",
        json.dumps(
            {
                "docsets_to_publish": [{"docset_name": "fixture", "build_source_folder": "."}],
                "dependent_repositories": [
                    {"path_to_root": d, "url": f"https://example.org/{d}", "branch": "main"} for d in DEPS
                ],
            },
            indent=2,
        ),
    )
    write(root, "breadcrumb/toc.yml", "- name: Fixture\n  tocHref: /\n  topicHref: /\n")
    # Spread the dependency references like the real repository: 268 includes, 23 codes.
    per_docset = [total // len(DOCSETS) + (1 if k < total % len(DOCSETS) else 0) for k in range(len(DOCSETS))]
    slots = [(d, i) for d, n in zip(DOCSETS, per_docset) for i in range(n - 1)]
    includes = {s: 0 for s in slots}
    codes = {s: 0 for s in slots}
    for _ in range(268):
        includes[rng.choice(slots)] += 1
    for _ in range(23):
        codes[rng.choice(slots)] += 1
    for d, n in zip(DOCSETS, per_docset):
        base = f"articles/{d}"
        names = [f"topic-{i}.md" for i in range(n - 1)]
        write(
            root,
            f"{base}/index.yml",
            "### YamlMime:Landing\n\n"
            f"title: {d} documentation\nsummary: {sentence(rng, 12)}\n\n"
            "metadata:\n  title: Landing\n  description: Landing page\n  ms.topic: landing-page\n  ms.date: 03/14/2024\n\n"
            "landingContent:\n  - title: Get started\n    linkLists:\n      - linkListType: overview\n        links:\n"
            + "".join(f"          - text: Topic {i}\n            url: topic-{i}.md\n" for i in range(min(6, n - 1))),
        )
        toc = [f"- name: {d}", "  items:", "  - name: Overview", "    href: index.yml"]
        for i, name in enumerate(names):
            toc += [f"  - name: Topic {i}", f"    href: {name}"]
        write(root, f"{base}/TOC.yml", "\n".join(toc) + "\n")
        write(root, f"{base}/includes/shared-note.md", "---\nms.topic: include\n---\n" + paragraph(rng, 2) + "\n")
        write(root, f"{base}/includes/sample.py", "import json\nprint(json.dumps({'a': 1}))\nprint('done')\n")
        for k in range(8):
            path = os.path.join(root, base, "media", f"figure-{k}.png")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)))
        for i, name in enumerate(names):
            text = article(rng, d, i, names, includes[(d, i)], codes[(d, i)])
            write(root, f"{base}/{name}", text)
    print(f"wrote {total} articles in {len(DOCSETS)} docsets under {root}")


if __name__ == "__main__":
    main()
