#!/bin/sh
# Fills fuzz/corpus/<target>/ (not committed) from our own seeds, the bundled content and
# test fixtures, and, when present, the shared Learn corpus outside the repository.
set -eu
cd "$(dirname "$0")"
shared=/work/shared/corpus
add() { # target, files...
    t=$1; shift
    mkdir -p "corpus/$t"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "corpus/$t/$(echo "$f" | sed 's|^[./]*||; s|/|_|g')"
    done
    return 0
}
md=$(find ../content -name '*.md')
shared_md=$( [ -d $shared ] && find $shared -name '*.md' || true)
shared_data=$( [ -d $shared ] && find $shared -name '*.yml' -o -name '*.json' || true)
add front_matter seeds/front_matter/* $md $shared_md
add docfx seeds/docfx/* $md $shared_md $shared_data
add directives seeds/directives/* $md
add comparison seeds/comparison/* ../content/deployment-models.toml ../tests/fixtures/compare/* \
    /work/shared/examples/deployment-models.toml
add page seeds/page/* $md $shared_md
