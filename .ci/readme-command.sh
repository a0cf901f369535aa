#!/usr/bin/env bash
# Prints the Nth ```sh block of README.md (1: the main job on the sample corpus, 2: the tests), so CI runs the
# README's own commands, not a copy of them that could drift.
set -euo pipefail
n=${1:?usage: readme-command.sh N}
awk -v want="$n" '
  /^```sh$/ { inblock = 1; count++; next }
  /^```$/   { inblock = 0; next }
  inblock && count == want { print }
' "$(dirname "$0")/../README.md"
