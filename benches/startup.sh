#!/usr/bin/env bash
# Startup: building the bundled site (content/, about a dozen pages and five diagrams) with
# hyperfine, into an empty output folder (every diagram drawn; target under 250 ms on 2
# cores) and again into the existing output (a rebuild: unchanged diagram PNGs are kept;
# target under 60 ms). Give two binaries to compare them in the same run (before/after):
#
#   benches/startup.sh                          this repository's release build
#   benches/startup.sh OLD_BINARY NEW_BINARY    both, side by side
#
# The commands take turns: ROUNDS (default 10) rounds, each running every command RUNS times
# (default 3), so a machine whose speed drifts during the run (a shared host) shifts every
# command alike instead of the one measured in the slow minutes; the summary at the end
# gives each command's median and mean over all its runs. OUT (default /dev/shm when it
# exists) holds the outputs; SITE (default: this repository) is the site folder built, e.g.
# an older content/ that an older binary can still read
# (`git archive c15b856 content trustdoc.toml | tar -x -C DIR`).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v hyperfine >/dev/null; then
  echo "hyperfine is not installed: apt-get install hyperfine (or cargo install hyperfine)" >&2
  exit 2
fi
if [ $# -eq 0 ]; then
  cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin trustdoc
  set -- "$here/target/release/trustdoc"
fi
if [ -z "${OUT:-}" ]; then
  if [ -d /dev/shm ]; then OUT=/dev/shm/trustdoc-startup; else OUT=$(mktemp -d); fi
fi
site=${SITE:-$here}
args=()
n=0
for td in "$@"; do
  [ -x "$td" ] || { echo "not an executable: $td" >&2; exit 2; }
  n=$((n + 1))
  name="#$n $(basename "$(dirname "$td")")/$(basename "$td")"
  mkdir -p "$OUT/$n"
  # The rebuild needs a previous output to reuse.
  (cd "$site" && "$td" build --quiet --output "$OUT/$n/rebuild")
  args+=(-n "fresh output $name" --prepare "rm -rf $OUT/$n/fresh"
    "cd $site && $td build --quiet --output $OUT/$n/fresh")
  args+=(-n "rebuild $name" --prepare "true"
    "cd $site && $td build --quiet --output $OUT/$n/rebuild")
done
rounds=${ROUNDS:-10}
for r in $(seq "$rounds"); do
  echo "round $r of $rounds"
  hyperfine --style none --warmup 1 --runs "${RUNS:-3}" --export-json "$OUT/round-$r.json" \
    "${args[@]}" >/dev/null
done
python3 - "$OUT"/round-*.json <<'PY'
import json, statistics, sys
runs = {}
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        t = runs.setdefault(r["command"], {"wall": [], "user": [], "system": []})
        t["wall"] += r["times"]
        t["user"].append(r["user"])
        t["system"].append(r["system"])
print(f"{'command':<40} {'runs':>4} {'median':>9} {'mean':>9} {'min':>9} {'user':>9} {'system':>9}")
for name, t in runs.items():
    ms = [x * 1000 for x in t["wall"]]
    print(f"{name:<40} {len(ms):>4} {statistics.median(ms):>7.1f}ms {statistics.mean(ms):>7.1f}ms"
          f" {min(ms):>7.1f}ms {1000 * statistics.mean(t['user']):>7.1f}ms"
          f" {1000 * statistics.mean(t['system']):>7.1f}ms")
PY
rm -rf "$OUT"
