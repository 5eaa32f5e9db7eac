#!/usr/bin/env bash
# Whole-site build benchmark: trustdoc against Hugo (Debian's package) on the same generated
# corpus, in the same run, with hyperfine. Prints medians and the trustdoc/Hugo ratio.
#
#   benches/build.sh [PAGES...]        default: 1000
#
# Needs: hyperfine and hugo (apt-get install hyperfine hugo), python3, and the corpus
# generator at ../shared/bench/gen_corpus.py (override with GEN=path).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
gen=${GEN:-$here/../shared/bench/gen_corpus.py}
work=${WORK:-/tmp/trustdoc-bench}
runs=${RUNS:-5}
pages=("${@:-1000}")
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)"; exit 2; }
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)"; exit 2; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$here/target/release/trustdoc
mkdir -p "$work"
for n in "${pages[@]}"; do
  python3 "$gen" --pages "$n" --out "$work/plain-$n" --format plain >/dev/null
  python3 "$gen" --pages "$n" --out "$work/hugo-$n" --format hugo >/dev/null
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/result-$n.json" \
    -n "trustdoc $n" "$bin build --quiet --root $work/plain-$n --output $work/out-td-$n" \
    -n "hugo $n" "hugo --quiet -s $work/hugo-$n -d $work/out-hugo-$n"
  python3 - "$work/result-$n.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
names = list(r)
td, hu = r[names[0]]["median"], r[names[1]]["median"]
print(f"{names[0]}: median {td:.3f} s   {names[1]}: median {hu:.3f} s   ratio trustdoc/hugo = {td/hu:.2f}")
PY
done
