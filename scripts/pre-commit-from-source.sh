#!/usr/bin/env bash
# The `milink-lint` hook of .pre-commit-hooks.yaml: builds milink-lint from this checkout
# with the versions of Cargo.lock (`--locked`) the first time, then runs it with the
# hook's arguments. pre-commit keeps one clone per revision, so the build happens once per
# `rev`; the binary lives in that clone's target/ folder.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/target/release/milink-lint
case "$(uname -s 2>/dev/null)" in
    MINGW* | MSYS* | CYGWIN*) bin=$bin.exe ;;
esac

if [ ! -x "$bin" ]; then
    if ! command -v cargo >/dev/null 2>&1; then
        cat >&2 <<'MSG'
milink-lint: this hook builds the tool from source and needs a Rust toolchain (cargo).
Without one, use the prebuilt wheel through the mirror repository instead:
  - repo: https://github.com/milink-lint/milink-lint-pre-commit
MSG
        exit 2
    fi
    echo "milink-lint: building from source (once per revision)..." >&2
    # A private target folder: CARGO_TARGET_DIR from the user's shell must not send the
    # binary elsewhere.
    CARGO_TARGET_DIR=$here/target cargo build --release --locked --quiet \
        --manifest-path "$here/Cargo.toml" --bin milink-lint >&2
fi
exec "$bin" "$@"
