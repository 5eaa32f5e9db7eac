#!/bin/sh
# Runs one fuzz target with one job (the machine is shared): ./run.sh TARGET [SECONDS]
set -eu
cd "$(dirname "$0")"
t=$1; secs=${2:-600}
case $t in
    comparison|front_matter) dict=dict/data.dict ;;
    *) dict=dict/markdown.dict ;;
esac
[ -d "corpus/$t" ] || ./seed-corpus.sh
mkdir -p "artifacts/$t"
RUSTC_BOOTSTRAP=1 exec cargo fuzz run "$t" "corpus/$t" -- \
    -jobs=1 -workers=1 -max_total_time="$secs" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -dict="$dict" \
    -artifact_prefix="artifacts/$t/"
