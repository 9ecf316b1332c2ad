#!/usr/bin/env bash
# Build the Python wheel (pyproject.toml: maturin, the binary inside), install it in a
# fresh virtual environment and run it: what `pip install milink-lint` gives a user
# without a Rust toolchain. Exit status 0 when every check passes.
#
#   scripts/check-wheel.sh [WHEEL_DIR]
#
# WHEEL_DIR: where the wheel is written (a temporary folder, removed afterwards, if not
# given). Needs python3 (3.8 or later) with venv, network access to PyPI for maturin
# (unless MATURIN names a maturin binary), and a Rust toolchain to build the wheel; the
# environment it is installed into has neither maturin nor Rust.
# CARGO_TARGET_DIR is honoured (default: target/ of the repository).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${1:-$work/wheels}
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }
fail() { echo "check-wheel: $*" >&2; exit 1; }

maturin=${MATURIN:-}
if [ -z "$maturin" ]; then
    step "maturin in a build environment"
    python3 -m venv "$work/build-env"
    "$work/build-env/bin/python" -m pip install --quiet --disable-pip-version-check 'maturin>=1.5,<2'
    maturin=$work/build-env/bin/maturin
fi

step "build the wheel"
rm -f "$out"/milink_lint-*.whl
(cd "$here" && "$maturin" build --release --out "$out")
wheel=$(ls "$out"/milink_lint-*.whl)
[ -f "$wheel" ] || fail "no wheel in $out"
size=$(wc -c < "$wheel")
echo "wheel: $(basename "$wheel"), $size bytes ($((size / 1024)) KiB)"

step "install it in a fresh environment"
python3 -m venv "$work/user-env"
"$work/user-env/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
bin=$work/user-env/bin/milink-lint
[ -x "$bin" ] || fail "the wheel installed no milink-lint executable"

step "run it"
version=$("$bin" --version)
echo "$version"
expected=$(sed -n 's/^version = "\(.*\)"/\1/p' "$here/Cargo.toml" | head -n1)
case "$version" in
    "milink-lint $expected"*) ;;
    *) fail "--version says '$version', Cargo.toml says $expected" ;;
esac

# A correct set-up: exit 0 (its one warning, a password written in the script, does
# not fail the run).
(cd "$here/fixtures/ok/azure-powershell" && "$bin" check --no-config --params params.toml .) ||
    fail "a correct set-up did not lint clean"
# A broken one: exit 1 and the finding.
set +e
report=$(cd "$here/fixtures/broken/ML101-dag-name-mismatch" &&
    "$bin" check --no-config --params params.toml --format json .)
status=$?
set -e
[ "$status" -eq 1 ] || fail "a broken set-up exited with $status, not 1"
grep -q '"ML101"' <<<"$report" || fail "ML101 missing from the report"

echo
echo "check-wheel: ok — $(basename "$wheel") ($((size / 1024)) KiB) installs and runs without Rust"
