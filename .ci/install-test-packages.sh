#!/usr/bin/env bash
# The system packages the tests use, installed from Debian only when missing: redis-server (the test runner
# starts its own on a free port unless REDIS_URL is set) and chromium for the browser test
# (test/serve/page.browser.test.ts) when test/support/chromium.ts finds no Chromium. Run by
# scripts/test-setup.sh only when EMBEDLINE_TEST_INSTALL=1 (CI sets it); never otherwise. Without recommends:
# they pulled in daemons (avahi-daemon, cups-pk-helper) a headless browser does not need; its fonts are named.
set -euo pipefail
cd "$(dirname "$0")/.."

want=()
if ! command -v redis-server >/dev/null 2>&1; then want+=(redis-server); fi
if ! node --import tsx test/support/chromium.ts >/dev/null 2>&1; then want+=(chromium fonts-liberation); fi
[ ${#want[@]} -eq 0 ] && exit 0

echo "install-test-packages: installing ${want[*]} (EMBEDLINE_TEST_INSTALL=1)" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${want[@]}"
