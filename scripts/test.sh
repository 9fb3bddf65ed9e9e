#!/usr/bin/env bash
# The test command (`npm test`): installs what the tests need, checks that generated code is fresh,
# type-checks and lints, then runs every suite. The servers the suites use (PostgreSQL; etcd for the
# cluster suites) are started on loopback by the vitest global setup and stopped when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "install npm dependencies"
npm ci --no-audit --no-fund

if ! command -v etcd >/dev/null 2>&1; then
  step "install etcd (Debian etcd-server)"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
  else
    echo "etcd is missing and this is not root: run 'sudo apt-get install etcd-server' first" >&2
    exit 1
  fi
fi

step "generated code is fresh (npm run proto)"
npm run --silent proto
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if [ -n "$(git status --porcelain -- proto/gen)" ]; then
    git status --short -- proto/gen
    echo "proto/gen is stale: run 'npm run proto' and commit the result" >&2
    exit 1
  fi
else
  echo "not a git checkout: freshness of proto/gen not compared"
fi

step "type-check, lint, format (npm run check)"
npm run --silent check

# As root, the embedded PostgreSQL runs as the unprivileged `postgres` user, which must be able to
# reach its binaries inside node_modules. A checkout under a private folder (a 0700 mktemp dir,
# /root) is out of its reach; rather than loosen permissions outside the checkout, such a run
# tests a copy of the tree in a folder of its own that the server user can enter.
reachable_by_others() {
  local dir
  dir="$(pwd -P)"
  while [ "$dir" != "/" ]; do
    [ "$(( $(stat -c '%a' "$dir" | sed 's/^.*\(.\)$/\1/') & 1 ))" -eq 1 ] || return 1
    dir="$(dirname "$dir")"
  done
}

report="$(mktemp)"
workdir=""
cleanup() {
  rm -f "$report"
  if [ -n "$workdir" ]; then rm -rf "$workdir"; fi
}
trap cleanup EXIT

if [ "$(id -u)" -eq 0 ] && ! reachable_by_others; then
  step "copy the tree where the embedded PostgreSQL's OS user can reach it"
  workdir="$(mktemp -d)"
  chmod 0755 "$workdir"
  cp -a . "$workdir/tree"
  chmod 0755 "$workdir/tree"
  # Tests read recorded venue data from the shared/ folder beside the checkout.
  if [ -d ../shared ]; then ln -s "$(cd ../shared && pwd -P)" "$workdir/shared"; fi
  cd "$workdir/tree"
fi

step "tests (unit, then integration against real servers)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$report" || status=$?
node scripts/test-summary.js "$report"
exit "$status"
