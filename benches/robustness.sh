#!/usr/bin/env bash
# Runaway-input benchmark (issue 13, points 5 and 6): time, peak memory and output size of
# one build for each corpus, for one or more trustdoc binaries in the same run.
#
#   benches/robustness.sh [BINARY...]     default: this repository's release build
#
# Corpora (made here, self-contained, under WORK, default /tmp/trustdoc-robust):
#   sparse-big   one page and a sparse BIG_MB (default 128) MB `big.md` (refused by size)
#   flat-N       N pages (default FLAT=2000) in one folder
#   nested-N     the same N pages in 100 folders
#   models-M     a comparison of M models (default MODELS=200) shown by one single-model
#                diagram (before issue 13 every diagram, all models side by side too, was drawn)
# Each build writes into an empty OUT folder; /usr/bin/time -v gives wall time and peak
# memory, du the output size. Give the previous release binary first to compare, e.g.
#   benches/robustness.sh /tmp/trustdoc-base target/release/trustdoc
# With two or more binaries, the last lines give each corpus's ratios of the last binary to
# the first (time, peak memory, output size). CORPORA picks corpora by kind, e.g.
# CORPORA="flat nested" FLAT=10000 benches/robustness.sh target/release/trustdoc
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/trustdoc-robust}
out=${OUT:-$work/out}
flat=${FLAT:-2000}
big_mb=${BIG_MB:-128}
models=${MODELS:-200}
kinds=${CORPORA:-sparse flat nested models}
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin trustdoc
  bins=("$here/target/release/trustdoc")
fi
mkdir -p "$work"

page() { # title
  printf '# %s\n\nSome text about %s, with `code` and a [link](https://example.com/).\n\n## Details\n\n- one\n- two\n' "$1" "$1"
}

if [ ! -d "$work/sparse-big" ]; then
  mkdir -p "$work/sparse-big/content"
  printf 'title = "Big"\n' > "$work/sparse-big/trustdoc.toml"
  page Home > "$work/sparse-big/content/index.md"
  truncate -s "${big_mb}M" "$work/sparse-big/content/big.md"
fi
if [ ! -d "$work/flat-$flat" ]; then
  mkdir -p "$work/flat-$flat/content/all" "$work/nested-$flat/content"
  for s in flat nested; do
    printf 'title = "T"\n' > "$work/$s-$flat/trustdoc.toml"
    page Home > "$work/$s-$flat/content/index.md"
  done
  page All > "$work/flat-$flat/content/all/index.md"
  for ((i = 0; i < flat; i++)); do
    page "Page $i" > "$work/flat-$flat/content/all/p$i.md"
    d=$work/nested-$flat/content/f$((i % 100))
    [ -d "$d" ] || { mkdir -p "$d"; page "Folder $((i % 100))" > "$d/index.md"; }
    page "Page $i" > "$d/p$i.md"
  done
fi

if [ ! -d "$work/models-$models" ]; then
  mkdir -p "$work/models-$models/content"
  printf 'title = "T"\n' > "$work/models-$models/trustdoc.toml"
  printf '# Home\n\n:::trust-boundary source="m.toml" model="m1":::\n' \
    > "$work/models-$models/content/index.md"
  python3 - "$here/src/init/models.toml" "$models" > "$work/models-$models/content/m.toml" <<'PY'
import sys
data = open(sys.argv[1]).read()
first = data.index("[[model]]")
second = data.index("[[model]]", first + 1)
model = data[first:second].rstrip()
head = data[:first]
print(head + "\n\n".join(model.replace('id = "plain-vm"', f'id = "m{i}"')
                          for i in range(int(sys.argv[2]))))
PY
fi

corpora=()
for k in $kinds; do
  case $k in
    sparse) corpora+=(sparse-big) ;;
    flat) corpora+=("flat-$flat") ;;
    nested) corpora+=("nested-$flat") ;;
    models) corpora+=("models-$models") ;;
    *) echo "unknown corpus kind $k (sparse, flat, nested, models)" >&2; exit 2 ;;
  esac
done
declare -A result
printf '%-34s %-14s %6s %9s %10s %10s\n' binary corpus exit seconds peak-MB output-MB
for bin in "${bins[@]}"; do
  for corpus in "${corpora[@]}"; do
    rm -rf "$out"
    log=$work/time.log
    set +e
    /usr/bin/time -v "$bin" build --quiet --root "$work/$corpus" --output "$out" \
      >/dev/null 2>"$log"
    code=$?
    set -e
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0;
      for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$log")
    peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
    size=$({ du -sm "$out" 2>/dev/null || true; } | cut -f1)
    printf '%-34s %-14s %6s %9s %10s %10s\n' "$bin" "$corpus" "$code" "$secs" "$peak" \
      "${size:-0}"
    result[$bin/$corpus]="$secs $peak ${size:-0}"
  done
done
rm -rf "$out"
if [ ${#bins[@]} -ge 2 ]; then
  first=${bins[0]}
  last=${bins[${#bins[@]}-1]}
  printf '\nratios %s / %s\n' "$last" "$first"
  printf '%-14s %9s %10s %10s\n' corpus time peak output
  for corpus in "${corpora[@]}"; do
    read -r a_s a_p a_o <<<"${result[$first/$corpus]}"
    read -r b_s b_p b_o <<<"${result[$last/$corpus]}"
    awk -v c="$corpus" -v as="$a_s" -v ap="$a_p" -v ao="$a_o" -v bs="$b_s" -v bp="$b_p" \
      -v bo="$b_o" 'function r(x, y) { return y > 0 ? sprintf("%.3f", x / y) : "-" }
      BEGIN { printf "%-14s %9s %10s %10s\n", c, r(bs, as), r(bp, ap), r(bo, ao) }'
  done
fi
