#!/bin/sh
# Seed the fuzz corpora from the project's fixtures (the corpora are not committed).
set -e
cd "$(dirname "$0")"
mkdir -p corpus/pipeline corpus/params
i=0
find ../fixtures ../examples -name '*.sql' | sort | while read -r f; do
    i=$((i + 1))
    # First byte 0x01: with the parameters file; second byte: the planted secret goes first.
    { printf '\001\000'; cat "$f"; } > "corpus/pipeline/seed_$i"
done
find ../fixtures ../examples \( -name 'params.*' -o -name 'milink.toml' \) | sort | while read -r f; do
    cp "$f" "corpus/params/$(echo "$f" | tr '/.' '__')"
done
mkdir -p corpus/azure
# First byte: 0 PowerShell, 1 sh, 2 cmd, 3 an export as the parameters file.
for kind in "0 ps1" "1 sh" "2 cmd" "3 json"; do
    set -- $kind
    find ../fixtures -name "*.$2" | sort | while read -r f; do
        { printf "\\00$1"; cat "$f"; } > "corpus/azure/$2_$(echo "$f" | tr '/.' '__')"
    done
done
