#!/usr/bin/env bash
# Builds what the end-to-end switchover tests need:
#   1. the Pulumi CLI, from the Go module proxy via tools/pulumi-cli (about 4 min cold
#      on 2 cores; skipped when the cached binary already reports the pinned version);
#   2. this project's provider plugin, bin/pulumi-resource-agmdr (seconds when warm).
# Prints the directory holding `pulumi` on its last line, for AGMDR_PULUMI_BIN.
set -euo pipefail

PULUMI_VERSION=v3.259.0
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${AGMDR_TOOLS:-$HOME/.cache/agm-dr}"
bindir="$tools/bin"
mkdir -p "$bindir"

have=""
if [[ -x "$bindir/pulumi" ]]; then
  have="$("$bindir/pulumi" version 2>/dev/null || true)"
fi
if [[ "$have" == "$PULUMI_VERSION" ]]; then
  echo "pulumi-cli: $bindir/pulumi already at $PULUMI_VERSION" >&2
else
  echo "pulumi-cli: building $PULUMI_VERSION into $bindir (about 4 min cold)" >&2
  start=$SECONDS
  # Build to a temp name and rename, so an interrupted build never leaves a
  # half-written binary that a later run would trust.
  (cd "$repo/tools/pulumi-cli" &&
    go build -o "$bindir/pulumi.tmp" \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv "$bindir/pulumi.tmp" "$bindir/pulumi"
  echo "pulumi-cli: built in $((SECONDS - start)) s" >&2
fi

echo "pulumi-cli: building $repo/bin/pulumi-resource-agmdr" >&2
(cd "$repo" && go build -o bin/pulumi-resource-agmdr ./cmd/pulumi-resource-agmdr)

echo "$bindir"
