#!/usr/bin/env bash
# Startup: building the bundled site (content/, about a dozen pages and five diagrams) with
# hyperfine, once into an existing output folder (a rebuild: unchanged diagram PNGs are
# kept) and once into an empty one (every diagram drawn).
#
#   benches/startup.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-/dev/shm/trustdoc-startup}
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin trustdoc
td=$here/target/release/trustdoc
cd "$here"
"$td" build --quiet --output "$out/rebuild"
hyperfine --style basic --warmup 2 --runs "${RUNS:-20}" \
  -n "rebuild" "$td build --quiet --output $out/rebuild" \
  -n "fresh output" --prepare "rm -rf $out/fresh" "$td build --quiet --output $out/fresh"
rm -rf "$out"
