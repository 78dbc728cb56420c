#!/usr/bin/env node
// Builds ferry into distribution/ferry.js (the `bin`). The local cloud is another package, reached through a lazy
// import at run time, so it stays external; ink imports react-devtools-core only when DEV=true, and it is not installed.
//   node scripts/build.js            build
//   node scripts/build.js --if-stale build only when a source file is newer than the last build (for `npm start`)
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {bundler, runBuild} from '../../../scripts/bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const ferryBundle = bundler({
	root,
	entryPoints: {ferry: 'source/cli/cli.ts'},
	external: ['@ferry/local-cloud', 'react-devtools-core'],
	inputs: ['source', 'wizards', 'package.json', 'scripts/build.js', '../../scripts/bundle.js', '../../package-lock.json'],
});

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	await runBuild(ferryBundle);
}
