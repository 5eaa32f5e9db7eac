#!/usr/bin/env bash
# Startup: building the bundled site (content/, about a dozen pages and five diagrams) with
# hyperfine, into an empty output folder (every diagram drawn; target under 250 ms on 2
# cores) and again into the existing output (a rebuild: unchanged diagram PNGs are kept;
# target under 60 ms). Give two binaries to compare them in the same run (before/after):
#
#   benches/startup.sh                          this repository's release build
#   benches/startup.sh OLD_BINARY NEW_BINARY    both, side by side
#
# RUNS (default 20) sets the repetitions; OUT (default /dev/shm when it exists) the outputs;
# SITE (default: this repository) the site folder built, e.g. an older content/ that an older
# binary can still read (`git archive c15b856 content trustdoc.toml | tar -x -C DIR`).
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
hyperfine --style basic --warmup 2 --runs "${RUNS:-20}" "${args[@]}"
rm -rf "$OUT"
