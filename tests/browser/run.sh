#!/usr/bin/env bash
# Browser suite: installs what it needs (Debian's chromium, a Java runtime for the Nu HTML
# Checker, Node.js and npm, the npm packages in package-lock.json), builds the trustdoc binary
# and runs every tests/browser/*.test.mjs file with Node's test runner (one file at a time;
# pages.test.mjs checks several pages at once, TD_BROWSER_JOBS of them). Screenshots go to
# tests/browser/screenshots/.
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if ((${#need[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund --ignore-scripts >/dev/null
# With the feature set of the README's test command, which CI runs just before: the binary it
# built is reused instead of the crate being compiled again (`fuzzing` only adds the fuzz
# targets' entry points).
(cd ../.. && cargo build --quiet --bin trustdoc --features fuzzing)
export TRUSTDOC_BIN="${TRUSTDOC_BIN:-$(cd ../.. && pwd)/target/debug/trustdoc}"
node --test --test-concurrency=1 ./*.test.mjs
