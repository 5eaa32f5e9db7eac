#!/usr/bin/env python3
"""Benchmark corpus generator: N documentation pages for trustdoc and its peers.

Pages are 3-8 KB of Markdown each: a title, h2/h3 sections, paragraphs with inline code
and emphasis, a list, a table, 2-3 fenced code blocks in assorted languages and links to
sibling pages. They sit in folders of 50, five folders to an area, each folder with a
landing page. The page text is the same for every format; only the wrapper differs:

  plain   DIR/<tree>/*.md with YAML front matter and an _index.md per folder (trustdoc)
  hugo    DIR/hugo.toml, minimal layouts, DIR/content/<tree>/ (YAML front matter)
  zola    DIR/config.toml, minimal templates, DIR/content/<tree>/ (TOML front matter)
  mdbook  DIR/book.toml, DIR/src/SUMMARY.md, DIR/src/<tree>/ (README.md per folder)

Standard library only. The same --pages and --seed always write the same bytes.

  benches/gen_corpus.py --pages 1000 --out /tmp/corpus --format plain [--seed 42]
"""

import argparse
import os
import random
import shutil

PER_FOLDER = 50
FOLDERS_PER_AREA = 5
MIN_BYTES, MAX_BYTES = 3000, 7600

TOPICS = ["gateway", "cluster", "queue", "cache", "ledger", "replica", "enclave", "policy",
          "scheduler", "bucket", "tenant", "webhook", "pipeline", "snapshot", "quota",
          "registry", "certificate", "namespace", "sensor", "router", "archive", "token"]
VERBS = ["configure", "rotate", "inspect", "scale", "migrate", "audit", "restore", "pin",
         "throttle", "export", "verify", "drain", "attach", "retire", "index", "tag"]
ADJ = ["regional", "shared", "isolated", "encrypted", "idle", "primary", "stale", "signed",
       "burstable", "read-only", "pending", "sealed", "managed", "custom", "default"]
FILLER = ["before the next maintenance window", "without downtime", "for every tenant",
          "when the quota is reached", "once the health probe passes", "in the portal",
          "from the command line", "after the certificate is renewed", "per region",
          "with the least privilege that works", "as part of the release pipeline"]


class Words:
    def __init__(self, rng):
        self.r = rng

    def pick(self, seq):
        return self.r.choice(seq)

    def sentence(self):
        shapes = [
            lambda: f"You can {self.pick(VERBS)} the {self.pick(ADJ)} {self.pick(TOPICS)} {self.pick(FILLER)}.",
            lambda: f"Each {self.pick(TOPICS)} keeps its own `{self.pick(TOPICS)}_{self.pick(VERBS)}` setting, so *{self.pick(ADJ)}* values stay local.",
            lambda: f"To {self.pick(VERBS)} the {self.pick(TOPICS)}, run `td {self.pick(VERBS)} --{self.pick(TOPICS)}` {self.pick(FILLER)}.",
            lambda: f"The {self.pick(ADJ)} {self.pick(TOPICS)} is **not** shared with the {self.pick(TOPICS)}, which matters {self.pick(FILLER)}.",
            lambda: f"You cannot {self.pick(VERBS)} the {self.pick(ADJ)} {self.pick(TOPICS)} until the {self.pick(TOPICS)} is {self.pick(ADJ)}.",
        ]
        return self.pick(shapes)()

    def paragraph(self, lo=3, hi=6):
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def title(self):
        return f"{self.pick(VERBS).capitalize()} the {self.pick(ADJ)} {self.pick(TOPICS)}"


def code_block(w):
    t, v, a = w.pick(TOPICS), w.pick(VERBS), w.pick(ADJ)
    n = w.r.randint(2, 90)
    blocks = {
        "bash": f"td {v} {t} --name {t}-{n} \\\n  --mode {a} \\\n  --retries {n % 7}\nif td status {t}-{n} | grep -q ready; then\n  echo \"{t} is ready\"\nfi",
        "json": f'{{\n  "{t}": {{\n    "mode": "{a}",\n    "replicas": {n},\n    "labels": ["{v}", "{t}"]\n  }}\n}}',
        "yaml": f"{t}:\n  mode: {a}\n  replicas: {n}\n  steps:\n    - {v}\n    - verify\n",
        "rust": f"fn {v}_{t}(count: u32) -> Result<u32, String> {{\n    if count > {n} {{\n        return Err(\"{a} {t} is full\".into());\n    }}\n    Ok(count + 1)\n}}",
        "python": f"def {v}_{t}(client, name, timeout={n}):\n    item = client.get('{t}', name)\n    if item.mode != '{a}':\n        raise ValueError(name)\n    return item",
        "javascript": f"export async function {v}{t.capitalize()}(api) {{\n  const res = await api.{v}('{t}', {{ mode: '{a}', limit: {n} }});\n  return res.items.filter((x) => x.ready);\n}}",
    }
    lang = w.pick(sorted(blocks))
    return f"```{lang}\n{blocks[lang]}\n```"


def table(w):
    rows = ["| Setting | Default | Notes |", "|---|---|---|"]
    for _ in range(w.r.randint(3, 6)):
        rows.append(f"| `{w.pick(TOPICS)}_{w.pick(VERBS)}` | {w.r.randint(1, 500)} | {w.sentence()} |")
    return "\n".join(rows)


def page_body(w, title, siblings):
    parts = [f"# {title}", w.paragraph()]
    blocks = w.r.randint(2, 3)
    target = w.r.randint(MIN_BYTES, MAX_BYTES - 600)
    while True:
        heading = w.title()
        parts.append(f"## {heading}")
        parts.append(w.paragraph())
        if blocks > 0:
            parts.append(code_block(w))
            blocks -= 1
        if w.r.random() < 0.4:
            parts.append("\n".join(f"- {w.sentence()}" for _ in range(w.r.randint(3, 5))))
        if w.r.random() < 0.3:
            parts.append(f"### {w.title()}")
            parts.append(w.paragraph(2, 4))
        if siblings and w.r.random() < 0.5:
            s = w.pick(siblings)
            parts.append(f"See [{s[1]}]({s[0]}.md) for the {w.pick(ADJ)} case.")
        text = "\n\n".join(parts)
        if len(text) >= target and blocks == 0:
            break
    if "|---|" not in text:
        text += "\n\n" + table(w)
    return text[:MAX_BYTES].rsplit("\n\n", 1)[0] + "\n" if len(text) > MAX_BYTES else text + "\n"


def tree(n, rng):
    """(folder, [(slug, title, body)]) for every folder, in writing order."""
    w = Words(rng)
    folders = []
    left, i = n, 0
    while left > 0:
        count = min(PER_FOLDER, left)
        folder = f"area-{i // FOLDERS_PER_AREA + 1:02}/section-{i % FOLDERS_PER_AREA + 1:02}"
        titles, slugs = [], []
        for j in range(count):
            t = w.title()
            titles.append(t)
            slugs.append(f"{j + 1:03}-" + t.lower().replace(" ", "-").replace("/", "-"))
        pages = []
        for j in range(count):
            sib = [(slugs[k], titles[k]) for k in (j - 1, j + 1) if 0 <= k < count]
            pages.append((slugs[j], titles[j], page_body(w, titles[j], sib)))
        folders.append((folder, pages))
        left -= count
        i += 1
    return folders


def front_matter(fmt, title, weight):
    if fmt == "zola":
        return f'+++\ntitle = "{title}"\nweight = {weight}\n[extra]\nauthor = "docs-team"\n+++\n\n'
    if fmt == "mdbook":
        return ""
    return f'---\ntitle: "{title}"\nweight: {weight}\nauthor: docs-team\n---\n\n'


CONFIGS = {
    "hugo": {
        "hugo.toml": 'baseURL = "https://docs.example.org/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "RSS"]\n[markup.highlight]\ncodeFences = true\nnoClasses = false\n',
        "layouts/_default/baseof.html": '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>\n<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n',
        "layouts/_default/single.html": '{{ define "main" }}{{ .Content }}{{ end }}\n',
        "layouts/_default/list.html": '{{ define "main" }}{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
    },
    "zola": {
        "config.toml": 'base_url = "https://docs.example.org"\ntitle = "Bench"\ncompile_sass = false\nbuild_search_index = false\n[markdown]\nhighlight_code = true\n',
        "templates/base.html": '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{{ config.title }}</title></head>\n<body><main>{% block content %}{% endblock content %}</main></body></html>\n',
        "templates/page.html": '{% extends "base.html" %}{% block content %}{{ page.content | safe }}{% endblock content %}\n',
        "templates/section.html": '{% extends "base.html" %}{% block content %}{{ section.content | safe }}<ul>{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock content %}\n',
        "templates/index.html": '{% extends "base.html" %}{% block content %}{{ section.content | safe }}{% endblock content %}\n',
    },
    "mdbook": {"book.toml": '[book]\ntitle = "Bench"\nlanguage = "en"\nsrc = "src"\n'},
    "plain": {},
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--out", required=True, help="folder to write (replaced)")
    ap.add_argument("--format", choices=sorted(CONFIGS), default="plain")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    for name, text in CONFIGS[a.format].items():
        write(os.path.join(a.out, name), text)
    content = {"hugo": "content", "zola": "content", "mdbook": "src"}.get(a.format)
    base = os.path.join(a.out, content) if content else a.out
    landing = "README.md" if a.format == "mdbook" else "_index.md"
    summary = ["# Summary", "", "[Home](README.md)", ""]
    w = Words(random.Random(a.seed))
    write(os.path.join(base, landing), front_matter(a.format, "Bench docs", 0) + "# Bench docs\n\n" + w.paragraph() + "\n")
    areas = set()
    written = 1
    for folder, pages in tree(a.pages, random.Random(a.seed + 1)):
        area = folder.split("/")[0]
        if area not in areas:
            areas.add(area)
            write(os.path.join(base, area, landing), front_matter(a.format, area, 1) + f"# {area}\n\n{w.paragraph()}\n")
            summary.append(f"- [{area}]({area}/README.md)")
            written += 1
        write(os.path.join(base, folder, landing), front_matter(a.format, folder, 1) + f"# {folder}\n\n{w.paragraph()}\n")
        summary.append(f"  - [{folder}]({folder}/README.md)")
        written += 1
        for k, (slug, title, body) in enumerate(pages):
            write(os.path.join(base, folder, slug + ".md"), front_matter(a.format, title, k + 1) + body)
            summary.append(f"    - [{title}]({folder}/{slug}.md)")
            written += 1
    if a.format == "mdbook":
        write(os.path.join(base, "SUMMARY.md"), "\n".join(summary) + "\n")
    print(f"wrote {written} pages ({a.pages} content pages) to {a.out} as {a.format}")


if __name__ == "__main__":
    main()
