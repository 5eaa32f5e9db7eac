#!/usr/bin/env bash
# Whole-site build benchmark, every tool in the same run with hyperfine:
#   trustdoc      this repository's release build
#   hugo          Debian's package (highlighting at build time, like trustdoc)
#   mdbook        when installed (cargo install mdbook), up to MDBOOK_MAX pages (default
#                 2000); it highlights in the browser, so it does less work at build time
#   zola          when installed (not packaged for Debian or the Rust registry)
#   floor         benches/floor.rs: pulldown-cmark plus syntect highlighting and one file
#                 write per page, nothing else; the least any generator must do
#   floor-nohl    the same without highlighting
# Prints the median of each, ratios against Hugo, Zola and the floor, and peak memory.
#
#   benches/build.sh [PAGES...]        default: 1000 10000
#
# Corpora come from benches/gen_corpus.py (override with GEN=path). Outputs go to
# OUT (default /dev/shm when it exists, so disk write-back is not measured) and are removed
# before every run with hyperfine's --prepare, so each tool writes into an empty folder.
# RUNS (default 5) and WARMUP (default 1) set the repetitions.
# Needs: hyperfine and hugo (apt-get install hyperfine hugo), python3, cargo.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
gen=${GEN:-$here/benches/gen_corpus.py}
work=${WORK:-/tmp/trustdoc-bench}
if [ -z "${OUT:-}" ]; then
  if [ -d /dev/shm ]; then OUT=/dev/shm/trustdoc-bench-out; else OUT=$work/out; fi
fi
runs=${RUNS:-5}
warmup=${WARMUP:-1}
pages=("${@:-1000}")
[ $# -eq 0 ] && pages=(1000 10000)
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)"; exit 2; }
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)"; exit 2; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin trustdoc --example floor
td=$here/target/release/trustdoc
floor=$here/target/release/examples/floor
mkdir -p "$work" "$OUT"

for n in "${pages[@]}"; do
  for fmt in plain hugo mdbook zola; do
    [ -d "$work/$fmt-$n" ] || python3 "$gen" --pages "$n" --out "$work/$fmt-$n" --format "$fmt" >/dev/null
  done
  names=(trustdoc hugo floor floor-nohl)
  cmds=(
    "$td build --quiet --root $work/plain-$n --output $OUT/td-$n"
    "hugo --quiet -s $work/hugo-$n -d $OUT/hugo-$n"
    "$floor $work/plain-$n $OUT/floor-$n"
    "$floor $work/plain-$n $OUT/floor-nohl-$n --no-highlight"
  )
  if command -v zola >/dev/null; then
    names+=(zola)
    cmds+=("zola --root $work/zola-$n build --force --output-dir $OUT/zola-$n")
  fi
  # mdBook puts the whole table of contents on every page, so its time grows with the
  # square of the page count (14.5 s for 1,000 pages here); it runs up to MDBOOK_MAX pages.
  if command -v mdbook >/dev/null && [ "$n" -le "${MDBOOK_MAX:-2000}" ]; then
    names+=(mdbook)
    cmds+=("mdbook build $work/mdbook-$n --dest-dir $OUT/mdbook-$n")
  fi
  args=()
  for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  echo "== $n pages: hyperfine, $runs runs after $warmup warm-up"
  hyperfine --style basic --warmup "$warmup" --runs "$runs" \
    --prepare "rm -rf $OUT/td-$n $OUT/hugo-$n $OUT/floor-$n $OUT/floor-nohl-$n $OUT/zola-$n $OUT/mdbook-$n" \
    --export-json "$work/result-$n.json" "${args[@]}" >/dev/null
  # Peak memory: one more run of each under GNU time.
  : > "$work/memory-$n.txt"
  for i in "${!names[@]}"; do
    rm -rf "$OUT"/*-"$n"
    /usr/bin/time -f "%M" -o "$work/kb" ${cmds[$i]} >/dev/null 2>&1
    echo "${names[$i]} $(tail -1 "$work/kb")" >> "$work/memory-$n.txt"
  done
  rm -rf "$OUT"/*-"$n"
  python3 - "$work/result-$n.json" "$work/memory-$n.txt" "$n" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
mem = dict(line.split() for line in open(sys.argv[2]) if len(line.split()) == 2)
n = sys.argv[3]
med = {k: v["median"] for k, v in res.items()}
print(f"| {n} pages | median s | min-max s | trustdoc / this | peak MB |")
print("|---|---:|---:|---:|---:|")
for k, v in res.items():
    ratio = med["trustdoc"] / v["median"]
    mb = int(mem.get(k, "0")) / 1024
    print(f"| {k} | {v['median']:.3f} | {v['min']:.3f}-{v['max']:.3f} | {ratio:.2f} | {mb:.0f} |")
td_mb = int(mem.get("trustdoc", "0")) / 1024
hu_mb = int(mem.get("hugo", "1")) / 1024
print(f"\ntrustdoc/hugo time {med['trustdoc']/med['hugo']:.2f} (target <= 0.5), "
      f"trustdoc/floor time {med['trustdoc']/med['floor']:.2f} (target <= 1.25), "
      f"trustdoc/hugo memory {td_mb/hu_mb:.2f} (target <= 0.25)"
      + (f", trustdoc/zola time {med['trustdoc']/med['zola']:.2f} (target <= 0.7)" if "zola" in med else ", zola not installed"))
PY
done
if [ "${#pages[@]}" -ge 2 ]; then
  python3 - "$work" "${pages[@]}" <<'PY'
import json, sys
work, ns = sys.argv[1], sys.argv[2:]
med = {n: {r["command"]: r["median"] for r in json.load(open(f"{work}/result-{n}.json"))["results"]} for n in ns}
a, b = ns[0], ns[-1]
for tool in med[a]:
    if tool in med[b]:
        print(f"growth {tool}: {b} pages / {a} pages = {med[b][tool] / med[a][tool]:.1f}x")
PY
fi
