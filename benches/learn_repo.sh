#!/usr/bin/env bash
# A whole Learn repository: benches/gen_learn_repo.py writes a synthetic one of about 315
# articles in six docsets (docfx.json, five dependent repositories that are absent, 268
# includes and 23 code blocks pointing into them), and hyperfine times a release build of
# it next to a build of this repository's own content/ folder in the same run (the
# machine may be shared: compare the two, and read the load average printed first).
#
#   benches/learn_repo.sh [ARTICLES]      default 315
#
# Needs: hyperfine (apt-get install hyperfine), python3, cargo.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/trustdoc-learn-repo}
out=${OUT:-/dev/shm/trustdoc-learn-repo-out}
articles=${1:-315}
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin trustdoc
td=$here/target/release/trustdoc
rm -rf "$work"
python3 "$here/benches/gen_learn_repo.py" "$work" "$articles"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
"$td" build --quiet --root "$work" --output "$out/repo"
hyperfine --style basic --warmup 1 --runs "${RUNS:-10}" \
  -n "learn repository ($articles articles)" --prepare "rm -rf $out/repo" \
  "$td build --quiet --root $work --output $out/repo" \
  -n "content/ (bundled site)" --prepare "rm -rf $out/own" \
  "$td build --quiet --root $here --output $out/own"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
