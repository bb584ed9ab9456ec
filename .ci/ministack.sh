#!/usr/bin/env bash
# Installs the ministack AWS emulator from PyPI (pinned) into a venv under the tools cache
# and starts it in the background on 127.0.0.1 only. Idempotent: if a ministack already
# answers on the port, it is reused. Prints the URL on its last line, for
# AGMDR_MINISTACK_URL. About 20 s cold (pip), 2 s warm.
#
# Why cbor2: the AWS SDK for Go's CloudWatch client speaks smithy-rpc-v2-cbor, which
# ministack decodes only when cbor2 is importable (it is in ministack's "test" extra).
set -euo pipefail

MINISTACK_VERSION=1.5.33
CBOR2_VERSION=5.7.1
port="${AGMDR_MINISTACK_PORT:-4566}"
url="http://127.0.0.1:$port"
tools="${AGMDR_TOOLS:-$HOME/.cache/agm-dr}"
venv="$tools/ministack-$MINISTACK_VERSION"
marker="$tools/ministack-$port.started"

healthy() {
  curl -fsS --max-time 2 "$url/_ministack/health" 2>/dev/null | grep -q '"version"'
}

if [[ ! -x "$venv/bin/ministack" ]] || ! "$venv/bin/python" -c 'import cbor2' 2>/dev/null; then
  echo "ministack: installing $MINISTACK_VERSION into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "ministack==$MINISTACK_VERSION" "cbor2==$CBOR2_VERSION"
fi

if healthy; then
  echo "ministack: already running at $url" >&2
else
  echo "ministack: starting on 127.0.0.1:$port" >&2
  # -d detaches (new session, log in $TMPDIR/ministack-$port.log); BIND_HOST keeps it
  # off every interface but loopback.
  (cd "$tools" && BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" "$venv/bin/ministack" -d >&2)
  echo "$venv" >"$marker"
  for _ in $(seq 1 100); do
    healthy && break
    sleep 0.2
  done
  if ! healthy; then
    echo "ministack: did not answer at $url within 20 s; log:" >&2
    tail -n 40 "${TMPDIR:-/tmp}/ministack-$port.log" >&2 || true
    exit 1
  fi
fi
echo "$url"
