#!/usr/bin/env bash
# Same findings before and after a change: runs two milink-lint binaries over every
# benchmark preset folder and every fixture folder, JSON output, and diffs the reports.
# The second binary also runs with --no-prefilter: the prefilter must never change a
# result. Exit status 0 when every report is identical, 1 otherwise (the differing
# folders are listed), 2 on a usage error.
#
#   bench/same-findings.sh BEFORE AFTER [CORPUS_DIR]
#
# BEFORE / AFTER: two milink-lint binaries (e.g. built from main and from a branch).
# CORPUS_DIR: a folder kept by `bench/run.sh CORPUS_DIR` (its preset folders are
# checked); without it only the fixtures are.
set -u

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[ $# -ge 2 ] || usage
before=$1 after=$2 corpus=${3:-}
for bin in "$before" "$after"; do
    [ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }
done
# Each run happens inside its folder.
before=$(realpath "$before") after=$(realpath "$after")
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# A fixed date: rules about certificate expiry must not depend on the day of the run.
today=2026-11-26
differ=0 compared=0

# Run BIN in DIR with the folder's own parameters file and Azure exports, as a user would.
report() {
    local bin=$1 dir=$2 dest=$3
    shift 3
    local args=()
    [ -f "$dir/params.toml" ] && [ ! -f "$dir/milink.toml" ] && args+=(--params params.toml)
    for export in "$dir"/azure*.json; do
        [ -f "$export" ] && args+=(--azure "$(basename "$export")")
    done
    (cd "$dir" && "$bin" check "${args[@]}" "$@" --today "$today" --format json . >"$dest" 2>/dev/null)
    # Exit status 0/1 are reports (clean / findings); 2 and 3 are failures to report.
    local status=$?
    [ $status -le 1 ] || echo "exit status $status" >>"$dest"
}

compare() {
    local dir=$1 name
    name=$(echo "${dir#"$here"/}" | tr '/' '_')
    report "$before" "$dir" "$out/$name.before"
    report "$after" "$dir" "$out/$name.after"
    report "$after" "$dir" "$out/$name.noprefilter" --no-prefilter
    compared=$((compared + 1))
    if ! cmp -s "$out/$name.before" "$out/$name.after"; then
        echo "DIFFERENT: $dir (before / after)"
        diff <(head -c 2000 "$out/$name.before") <(head -c 2000 "$out/$name.after") | head -20
        differ=$((differ + 1))
    elif ! cmp -s "$out/$name.after" "$out/$name.noprefilter"; then
        echo "DIFFERENT: $dir (with / without the prefilter)"
        differ=$((differ + 1))
    fi
}

for dir in "$here"/fixtures/broken/*/ "$here"/fixtures/ok/*/; do
    compare "${dir%/}"
done
if [ -n "$corpus" ]; then
    for dir in "$corpus"/*/; do
        [ -d "$dir" ] && compare "${dir%/}"
    done
fi

echo "$compared folders, $differ different"
[ $differ -eq 0 ]
