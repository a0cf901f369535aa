#!/usr/bin/env bash
# What `npm test` needs beyond `npm ci`, idempotent: the Python venv for the Qdrant stand-in (in the
# project folder). It changes nothing else on the machine unless asked: Redis is the one REDIS_URL names,
# or a private redis-server the test runner starts and stops (test/support/run-tests.ts). Only with
# EMBEDLINE_TEST_INSTALL=1 (CI sets it) does it install missing system packages: redis-server, and
# Debian's chromium when no Chromium is found (test/support/chromium.ts says where it looks).
set -euo pipefail
cd "$(dirname "$0")/.."

# Python is test support only (the Qdrant stand-in); never torch here.
stamp=.venv/.requirements.sha256
want=$(sha256sum test/support/requirements.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "test-setup: building .venv" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r test/support/requirements.txt
  echo "$want" > "$stamp"
fi

if [ "${EMBEDLINE_TEST_INSTALL:-}" = "1" ]; then
  bash .ci/install-test-packages.sh
elif [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  echo "test-setup: REDIS_URL is not set and redis-server is not on PATH: install Redis, set REDIS_URL, or run with EMBEDLINE_TEST_INSTALL=1 to let the setup install it" >&2
  exit 1
fi
