#!/bin/sh
# Seed the fuzz corpora from the project's fixtures (the corpora are not committed).
set -e
cd "$(dirname "$0")"
mkdir -p corpus/pipeline corpus/params
i=0
find ../fixtures ../examples -name '*.sql' | sort | while read -r f; do
    i=$((i + 1))
    # First byte 0x01: with the parameters file.
    { printf '\001'; cat "$f"; } > "corpus/pipeline/seed_$i"
done
find ../fixtures ../examples \( -name 'params.*' -o -name 'milink.toml' \) | sort | while read -r f; do
    cp "$f" "corpus/params/$(echo "$f" | tr '/.' '__')"
done
