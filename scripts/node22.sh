#!/usr/bin/env bash
# Runs the test suite on Node 22, the floor in package.json `engines`, from the registry's `node` package kept outside
# the project (so `npm install` stays on Node 24). ava's workers and the ferry processes the tests start inherit it.
# The conformance tests (awscli, rclone, psql and the vendors' SDKs against the stand-ins) prove the wire protocols,
# which do not change with the Node line; they run once, in the Node 24 pass, to keep CI well inside its budget.
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
(cd packages/local-cloud && FERRY_TEST_NODE_MAJOR=22 node "$ava" $(find test -name '*.test.ts' -not -path 'test/conformance/*' | sort))
(cd packages/ferry && FERRY_TEST_NODE_MAJOR=22 node "$ava")
