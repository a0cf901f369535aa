#!/usr/bin/env bash
# Everything the tests need beyond `npm ci`, idempotent so `npm test` works on a fresh machine:
# Redis answering on 127.0.0.1:6379, the Python venv for the Qdrant stand-in, headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "test-setup: starting redis" >&2
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 50); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# Python is test support only (the Qdrant stand-in); never torch here.
stamp=.venv/.requirements.sha256
want=$(sha256sum test/support/requirements.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "test-setup: building .venv" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r test/support/requirements.txt
  echo "$want" > "$stamp"
fi

if [ -f .ci/install-chromium.sh ]; then bash .ci/install-chromium.sh; fi
