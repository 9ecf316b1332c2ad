#!/usr/bin/env bash
# Benchmark of milink-lint against `cat` of the same files (issue 6).
#
#   bench/run.sh [CORPUS_DIR]
#
# Builds the release binary and the corpus generator, generates the presets into
# CORPUS_DIR/<preset> (a temporary folder, removed afterwards, when not given) unless a
# preset folder is already there, then measures, for each preset, in the same run:
#   - the floor: find DIR -name '*.sql' -print0 | xargs -0 cat > /dev/null
#   - milink-lint check -q, run inside DIR (so DIR/milink.toml gives params and vars)
# and prints a Markdown table: wall time (median), ratio to cat, MB/s, peak RSS.
#
# Environment: RUNS (timed runs per measurement, default 5), PRECOMMIT_RUNS (default 30),
# PRESETS (default "large huge precommit procedures deploy-200 shared-large shared-huge
# link-1000 link-2000 link-4000 link-8000"), SEED (default 1), CARGO_TARGET_DIR, MILINK_LINT (use this binary
# instead of building one), SHARED_GEN (the shared corpus generator, default
# ../shared/bench/gen_corpus.py next to the repository; its presets are skipped with a
# message when it is not there).
#
# Presets: large, huge, precommit, procedures (40 DBA diagnostic procedures, 50 MB, link
# words but no link statement) and deploy-200 (one 200 MB deployment script) come from
# our own generator (examples/gen_corpus.rs);
# shared-large (5,000 files, 100 MB, 10% link scripts), shared-huge (one 100 MB file) and
# link-N (N link scripts only, N/200 MB) from the shared one, checked with its params.toml.
# Exit status: 0 unless the build, the generator or milink-lint itself fails
# (milink-lint exit status 2 or 3); slow numbers never fail the run.

set -u
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
PRECOMMIT_RUNS=${PRECOMMIT_RUNS:-30}
PRESETS=${PRESETS:-large huge precommit procedures deploy-200 shared-large shared-huge link-1000 link-2000 link-4000 link-8000}
SHARED_GEN=${SHARED_GEN:-$ROOT/../shared/bench/gen_corpus.py}
SEED=${SEED:-1}
MB=1048576
FAILED=0

die() {
    echo "bench: $*" >&2
    exit 1
}

# --- build -----------------------------------------------------------------------

build() {
    local target_dir=${CARGO_TARGET_DIR:-target}
    case $target_dir in /*) ;; *) target_dir=$ROOT/$target_dir ;; esac
    echo "building (cargo build --release --locked) ..." >&2
    (cd "$ROOT" && cargo build --release --locked --quiet) || die "cargo build failed"
    (cd "$ROOT" && cargo build --release --locked --quiet --example gen-corpus) ||
        die "cargo build of the gen-corpus example failed"
    BIN=${MILINK_LINT:-$target_dir/release/milink-lint}
    GEN=$target_dir/release/examples/gen-corpus
    [ -x "$BIN" ] || die "no binary at $BIN"
}

# --- corpus ----------------------------------------------------------------------

# ensure_corpus PRESET DIR: generate DIR unless it already holds a generated corpus.
ensure_corpus() {
    local preset=$1 dir=$2
    if [ -f "$dir/.gen-corpus" ]; then
        echo "reusing $dir: $(sed -n 2p "$dir/.gen-corpus")" >&2
        return
    fi
    local t0 t1
    t0=$(now)
    case $preset in
        shared-* | link-*)
            local args
            case $preset in
                shared-large) args="5000 $SEED --mb 100" ;;
                shared-huge) args="0 $SEED --huge-mb 100" ;;
                link-*)
                    local n=${preset#link-}
                    args="$n $SEED --mb $((n / 200)) --milink-share 1.0"
                    ;;
            esac
            # shellcheck disable=SC2086
            python3 "$SHARED_GEN" "$dir" $args --force >&2 || die "gen_corpus.py failed for $preset"
            printf 'shared generator\n%s\n' "$args" >"$dir/.gen-corpus"
            ;;
        *) "$GEN" "$dir" --preset "$preset" --seed "$SEED" >&2 || die "gen-corpus failed for $preset" ;;
    esac
    t1=$(now)
    echo "generated $preset in $(fmt_time "$(calc "$t1 - $t0")")" >&2
}

# --- timing helpers --------------------------------------------------------------

now() {
    if [ -n "${EPOCHREALTIME:-}" ]; then echo "$EPOCHREALTIME"; else date +%s.%N; fi
}

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

fmt_time() { awk -v t="$1" 'BEGIN { if (t < 1) printf "%.1f ms", t * 1000; else printf "%.2f s", t }'; }

# The floor: read every .sql file of the current folder once.
cat_all() { find . -name '*.sql' -print0 | xargs -0 cat >/dev/null; }

# The tool, as a user runs it in the corpus folder (the shared generator writes a
# params.toml and no milink.toml: name it).
lint_args() { [ -f milink.toml ] || [ ! -f params.toml ] || echo "--params params.toml"; }
# shellcheck disable=SC2046
lint() { "$BIN" check -q $(lint_args); }

# wall_median DIR N FUNCTION: median wall time in seconds of N runs (after one warm-up)
# of FUNCTION run inside DIR. Uses hyperfine when it is on PATH.
wall_median() {
    local dir=$1 n=$2 fn=$3
    if command -v hyperfine >/dev/null 2>&1; then
        local json cmd
        json=$(mktemp)
        case $fn in
            cat_all) cmd="find . -name '*.sql' -print0 | xargs -0 cat > /dev/null" ;;
            lint) cmd="'$BIN' check -q $(cd "$dir" && lint_args)" ;;
        esac
        (cd "$dir" && hyperfine --style none --ignore-failure --warmup 1 --runs "$n" \
            --export-json "$json" "$cmd" >/dev/null 2>&1)
        sed -n 's/.*"median": *\([0-9.eE+-]*\).*/\1/p' "$json" | head -n 1
        rm -f "$json"
        return
    fi
    (
        cd "$dir" || exit 1
        "$fn" >/dev/null 2>&1
        for _ in $(seq "$n"); do
            t0=$(now)
            "$fn" >/dev/null 2>&1
            t1=$(now)
            calc "$t1 - $t0"
            echo
        done
    ) | median
}

# peak_rss_mb DIR: runs milink-lint once in DIR, prints
# "PEAK_MB EXIT_STATUS CPU_SECONDS SUMMARY" (CPU time is "?" without GNU time).
peak_rss_mb() {
    local dir=$1 out rss status kb=0 cpu="?"
    out=$(mktemp)
    rss=$(mktemp)
    if /usr/bin/time -f %M true >/dev/null 2>&1; then
        # shellcheck disable=SC2046
        (cd "$dir" && /usr/bin/time -f '%M %U %S' -o "$rss" "$BIN" check -q $(lint_args) >"$out" 2>&1)
        status=$?
        read -r kb user sys < <(tail -n 1 "$rss")
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    else
        # no GNU time: poll VmHWM of the running process (approximate)
        # shellcheck disable=SC2046
        (cd "$dir" && "$BIN" check -q $(lint_args) >"$out" 2>&1) &
        local pid=$! v
        while kill -0 "$pid" 2>/dev/null; do
            for child in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null) "$pid"; do
                v=$(awk '/^VmHWM/ { print $2 }' "/proc/$child/status" 2>/dev/null)
                [ -n "$v" ] && [ "$v" -gt "$kb" ] && kb=$v
            done
            sleep 0.005
        done
        wait "$pid"
        status=$?
    fi
    echo "$(calc "$kb / 1024") $status $cpu $(tail -n 1 "$out")"
    rm -f "$out" "$rss"
}

# --- one preset ------------------------------------------------------------------

ROWS=()

bench_preset() {
    local preset=$1 dir=$2 n=$RUNS
    [ "$preset" = precommit ] && n=$PRECOMMIT_RUNS
    local files bytes mbytes
    files=$(find "$dir" -name '*.sql' | wc -l | tr -d ' ')
    bytes=$(find "$dir" -name '*.sql' -print0 | xargs -0 cat | wc -c | tr -d ' ')
    mbytes=$(calc "$bytes / $MB")

    echo "measuring $preset ($files files, $(printf %.1f "$mbytes") MB, $n runs each) ..." >&2
    local rss status cpu summary
    read -r rss status cpu summary < <(peak_rss_mb "$dir")
    echo "  milink-lint: exit $status, $cpu s CPU (user+sys): $summary" >&2
    if [ "$status" -ge 2 ]; then
        echo "  milink-lint FAILED (exit status $status) on $preset" >&2
        FAILED=1
    elif [ "$status" -eq 1 ]; then
        echo "  note: milink-lint reported findings on a generated corpus" >&2
    fi

    local t_cat t_lint
    t_cat=$(wall_median "$dir" "$n" cat_all)
    t_lint=$(wall_median "$dir" "$n" lint)

    local ratio mbps shown
    ratio=$(calc "$t_lint / $t_cat")
    mbps=$(calc "$mbytes / $t_lint")
    shown=$(fmt_time "$t_lint")
    [ "$status" -ge 2 ] && shown="$shown (FAILED: exit $status)"
    ROWS+=("$(printf '| %s | %s | %.1f | %s | %s | %.1f× | %.0f | %.1f |' \
        "$preset" "$files" "$mbytes" "$(fmt_time "$t_cat")" "$shown" \
        "$ratio" "$mbps" "$rss")")
    RESULTS+=("$preset $t_lint $ratio $mbps $rss $mbytes")
}

# --- targets of issues 6 and 17 --------------------------------------------------

RESULTS=()

targets() {
    local preset t ratio mbps rss t4000="" t8000=""
    echo
    echo "Targets (issue 17):"
    for r in "${RESULTS[@]}"; do
        read -r preset t ratio mbps rss mbytes <<<"$r"
        case $preset in
            large | shared-large)
                check "$preset: wall time ≤ 1.5× cat" "$(printf %.1f "$ratio")× cat" "$ratio <= 1.5"
                check "$preset: peak memory < 64 MB" "$(printf %.1f "$rss") MB" "$rss < 64"
                ;;
            huge | shared-huge)
                check "$preset: ≥ 250 MB/s" "$(printf %.0f "$mbps") MB/s" "$mbps >= 250"
                check "$preset: peak memory ≤ 2× the file" "$(printf %.0f "$rss") MB" "$rss <= 2 * $mbytes"
                ;;
            procedures)
                check "procedures: ≥ 100 MB/s" "$(printf %.0f "$mbps") MB/s" "$mbps >= 100"
                ;;
            deploy-200)
                check "deploy-200: peak memory ≤ 2× the file" \
                    "$(printf %.0f "$rss") MB for $(printf %.0f "$mbytes") MB" "$rss <= 2 * $mbytes"
                ;;
            link-4000) t4000=$t ;;
            link-8000)
                t8000=$t
                check "link-8000: ≥ 100 MB/s" "$(printf %.0f "$mbps") MB/s" "$mbps >= 100"
                ;;
            precommit) check "precommit: < 10 ms wall" "$(fmt_time "$t")" "$t < 0.010" ;;
        esac
    done
    if [ -n "$t4000" ] && [ -n "$t8000" ]; then
        local growth
        growth=$(calc "$t8000 / $t4000")
        check "link-8000 time ≤ 2.2× link-4000" "$(printf %.2f "$growth")×" "$growth <= 2.2"
    fi
}

check() {
    local what=$1 value=$2 cond=$3 mark="not met"
    awk "BEGIN { exit !($cond) }" && mark="met"
    printf -- '- %s: %s (%s)\n' "$what" "$value" "$mark"
}

# --- main ------------------------------------------------------------------------

main() {
    LOAD=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo "?")
    build
    local base
    if [ $# -ge 1 ]; then
        base=$1
        mkdir -p "$base" || die "cannot create $base"
    else
        base=$(mktemp -d "${TMPDIR:-/tmp}/milink-bench.XXXXXX") || die "mktemp failed"
        trap 'rm -rf "$base"' EXIT
    fi
    base=$(cd "$base" && pwd)

    local presets=""
    for preset in $PRESETS; do
        case $preset in
            shared-* | link-*)
                if [ ! -f "$SHARED_GEN" ]; then
                    echo "skipping $preset: no shared generator at $SHARED_GEN (set SHARED_GEN)" >&2
                    continue
                fi
                ;;
        esac
        presets="$presets $preset"
        ensure_corpus "$preset" "$base/$preset"
    done
    for preset in $presets; do
        bench_preset "$preset" "$base/$preset"
    done

    local timer="loop of $RUNS runs (precommit: $PRECOMMIT_RUNS), bash EPOCHREALTIME/date"
    command -v hyperfine >/dev/null 2>&1 && timer="hyperfine, $RUNS runs (precommit: $PRECOMMIT_RUNS)"
    echo
    echo "milink-lint: $("$BIN" --version)"
    echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), load average at start $LOAD"
    echo "timing: median wall time, $timer, warm page cache; MB = 2^20 bytes"
    echo
    echo "| preset | files | MB | cat | milink-lint | ratio to cat | MB/s | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    targets
    if [ "$FAILED" -ne 0 ]; then
        echo "bench: milink-lint failed (exit status 2 or 3) on at least one preset" >&2
        exit 1
    fi
}

main "$@"
