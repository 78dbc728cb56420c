#!/usr/bin/env bash
# Runs the test suite on Node 22, the floor in package.json `engines`, from the registry's `node` package kept outside
# the project (so `npm install` stays on Node 24). ava's workers and the ferry processes the tests start inherit it.
set -euo pipefail
cd "$(dirname "$0")/.."
floor="${FERRY_NODE22_DIR:-${TMPDIR:-/tmp}/ferry-node22}"
if [ ! -x "$floor/node_modules/.bin/node" ]; then
	mkdir -p "$floor"
	npm install --prefix "$floor" --no-save --no-audit --no-fund --no-package-lock node@22.23.3 >/dev/null
fi

export PATH="$floor/node_modules/.bin:$PATH"
echo "Testing on Node $(node --version)"
ava="$PWD/node_modules/ava/entrypoints/cli.js"
for package in packages/local-cloud packages/ferry; do
	(cd "$package" && FERRY_TEST_NODE_MAJOR=22 node "$ava")
done
