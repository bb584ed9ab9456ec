# Sourced by `make test` after `make tools`: tells the emulator and end-to-end tests where
# ministack answers and where the Pulumi CLI was built. Without these they skip.
export AGMDR_TOOLS="${AGMDR_TOOLS:-$HOME/.cache/agm-dr}"
export AGMDR_MINISTACK_URL="${AGMDR_MINISTACK_URL:-http://127.0.0.1:${AGMDR_MINISTACK_PORT:-4566}}"
export AGMDR_PULUMI_BIN="${AGMDR_PULUMI_BIN:-$AGMDR_TOOLS/bin}"
# The prebuilt Go language host and random plugin (../shared/tools/README.md); the real-engine
# tests fail under CI=true when they are not there.
export AGMDR_SHARED_TOOLS="${AGMDR_SHARED_TOOLS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/shared/tools/bin}"
