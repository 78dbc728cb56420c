#!/usr/bin/env node
// Builds the local cloud into distribution/: `daemon.js` (the process behind `ferry local-cloud start`) and
// `index.js` (what ferry imports to start and stop it). ferry's clients and helpers that the stand-ins use are
// bundled in from its sources; DuckDB and PGlite load native code and WebAssembly beside their modules, so they stay
// external.
//   node scripts/build.js            build
//   node scripts/build.js --if-stale build only when a source file is newer than the last build
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {bundler, runBuild} from '../../../scripts/bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const localCloudBundle = bundler({
	root,
	entryPoints: {daemon: 'source/daemon.ts', index: 'source/index.ts'},
	external: ['@duckdb/*', '@electric-sql/*'],
	inputs: ['source', '../ferry/source', 'package.json', 'scripts/build.js', '../../scripts/bundle.js', '../../package-lock.json'],
});

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	await runBuild(localCloudBundle);
}
