#!/usr/bin/env python3
"""Writes a deterministic trustdoc site of N documentation pages for the serve benchmark.

Pages sit in folders of 50 (grouped ten folders to an area), each with YAML front matter,
an H1, h2 sections, paragraphs with inline code and emphasis, a bullet list, a table, two
highlighted code blocks and links to sibling pages: 3-6 KB each, the shape of real docs.
Standard library only; the same --pages and --seed give the same files.

    benches/gen_site.py --pages 10000 --out /tmp/site-10000 [--seed 7]
"""

import argparse
import os
import random

WORDS = ("cluster node pipeline workspace token endpoint gateway schema index queue bucket "
         "replica container policy role secret volume route service agent runtime module "
         "cache snapshot tenant region metric alert trigger webhook worker manifest profile "
         "certificate subnet artifact registry namespace scheduler quota").split()
VERBS = ("configure deploy create delete update monitor scale migrate restore secure inspect "
         "enable disable connect import export validate rotate audit provision").split()
CODE = {
    "rust": "fn main() {{\n    let {w} = load(\"{w2}\")?;\n    for item in {w}.items() {{\n        println!(\"{{}}\", item.name);\n    }}\n}}\n",
    "bash": "{v} --name my-{w} --region westeurope \\\n  --{w2}-count 3 --output json\n",
    "json": "{{\n  \"{w}\": {{ \"enabled\": true, \"{w2}\": 42 }},\n  \"retries\": 3\n}}\n",
    "python": "def {v}_{w}(client):\n    result = client.{v}(\"{w2}\", timeout=30)\n    return result.status\n",
}


def sentence(r):
    w = r.sample(WORDS, 4)
    return (f"To {r.choice(VERBS)} a {w[0]}, set `{w[1]}_{w[2]}` on the *{w[3]}* and "
            f"check the {w[1]} again before you {r.choice(VERBS)} it.")


def page(r, i, folder_pages):
    title = f"{r.choice(VERBS).capitalize()} the {r.choice(WORDS)} {i}"
    out = [f"---\ntitle: \"{title}\"\nweight: {i % 50}\n---\n", f"# {title}\n"]
    for s in range(r.randint(3, 5)):
        out.append(f"## {r.choice(VERBS).capitalize()} {r.choice(WORDS)}s {s}\n")
        out.append(" ".join(sentence(r) for _ in range(r.randint(3, 6))) + "\n")
        if s == 1:
            out.append("\n".join(f"- {sentence(r)}" for _ in range(4)) + "\n")
            out.append("| Setting | Default | Notes |\n|---|---|---|\n" + "\n".join(
                f"| `{r.choice(WORDS)}` | {r.randint(1, 99)} | {sentence(r)} |" for _ in range(3)) + "\n")
        if s in (0, 2):
            lang = r.choice(sorted(CODE))
            w = r.sample(WORDS, 2)
            out.append(f"```{lang}\n" + CODE[lang].format(w=w[0], w2=w[1], v=r.choice(VERBS)) + "```\n")
    sib = r.choice(folder_pages)
    out.append(f"See also [the next topic]({sib}.md).\n")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    r = random.Random(a.seed)
    content = os.path.join(a.out, "content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(a.out, "trustdoc.toml"), "w") as f:
        f.write('title = "Serve benchmark"\nbase_url = "https://bench.example.org/"\n')
    with open(os.path.join(content, "index.md"), "w") as f:
        f.write("---\ntitle: Home\n---\n\nThe benchmark site.\n")
    for start in range(0, a.pages, 50):
        folder = os.path.join(content, f"area{start // 500}", f"topic{start // 50}")
        os.makedirs(folder, exist_ok=True)
        names = [f"page{i}" for i in range(start, min(start + 50, a.pages))]
        with open(os.path.join(folder, "_index.md"), "w") as f:
            f.write(f"---\ntitle: Topic {start // 50}\n---\n\nPages {start} onwards.\n")
        for i, name in enumerate(names, start):
            with open(os.path.join(folder, name + ".md"), "w") as f:
                f.write(page(r, i, names))
    for area in sorted(os.listdir(content)):
        p = os.path.join(content, area)
        if os.path.isdir(p):
            with open(os.path.join(p, "_index.md"), "w") as f:
                f.write(f"---\ntitle: {area.capitalize()}\n---\n\nAn area.\n")


if __name__ == "__main__":
    main()
