#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test (test/search/page.browser.test.ts, driven by
# playwright-core with executablePath /usr/bin/chromium). Does nothing when it is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

echo "installing chromium"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium
