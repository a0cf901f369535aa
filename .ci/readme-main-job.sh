#!/usr/bin/env bash
# Runs the README's first command (install + main job on the sample corpus) exactly as written, on a fresh clone,
# with a clean environment (only HOME and PATH): what a stranger types. The clone sits in a temporary folder with
# ../shared linked beside it, as in a checkout on this machine; the folder is removed after.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmd=$(bash "$root/.ci/readme-command.sh" 1)
[ -n "$cmd" ] || { echo "readme-main-job: README.md has no first sh block" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -d "$root/../shared" ]; then ln -s "$(cd "$root/../shared" && pwd)" "$tmp/shared"; fi
git clone -q "$root" "$tmp/embedline"
echo "readme-main-job: $(node --version), running: $cmd" >&2
out="$tmp/out.txt"
(cd "$tmp/embedline" && env -i HOME="$HOME" PATH="$PATH" bash -eo pipefail -c "$cmd") | tee "$out"
# The search must have found something: the sample corpus has an article about stellar fusion.
grep -qi "star\|sun\|fusion" "$out" || { echo "readme-main-job: the search printed no hit about stars" >&2; exit 1; }
echo "readme-main-job: ok" >&2
