#!/usr/bin/env bash
# Run at the end of `make test`: stops the ministack emulator if `.ci/ministack.sh` started it
# during this run (its marker is there); an emulator that was already running is left alone,
# and the last line says so and how to stop it.
set -uo pipefail

port="${AGMDR_MINISTACK_PORT:-4566}"
tools="${AGMDR_TOOLS:-$HOME/.cache/agm-dr}"
marker="$tools/ministack-$port.started"

if [[ -f "$marker" ]]; then
  venv="$(cat "$marker")"
  GATEWAY_PORT="$port" "$venv/bin/ministack" --stop >&2 || true
  rm -f "$marker"
  echo "ministack: stopped the emulator this run started on 127.0.0.1:$port"
elif curl -fsS --max-time 2 "http://127.0.0.1:$port/_ministack/health" >/dev/null 2>&1; then
  echo "ministack: left running on 127.0.0.1:$port (it was running before this run);" \
    "stop it with: GATEWAY_PORT=$port $tools/ministack-*/bin/ministack --stop"
fi
