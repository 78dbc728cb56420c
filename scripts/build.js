#!/usr/bin/env node
// Builds ferry into distribution/: one ESM bundle per entry (the CLI and the local-cloud daemon), with code that only
// some commands need split into chunks loaded on demand. Packages that load native code or WebAssembly from files
// beside their own modules stay external and are imported from node_modules at run time.
//   node scripts/build.js            build
//   node scripts/build.js --if-stale build only when a source file is newer than the last build (for `npm start`)
import {mkdirSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(root, process.env['FERRY_BUILD_OUT'] ?? 'distribution');
const stamp = path.join(outdir, '.build-stamp');
const inputs = ['source', 'wizards', 'package.json', 'package-lock.json', 'scripts/build.js'];
// ink imports react-devtools-core only when DEV=true, and it is not installed.
const external = ['@duckdb/*', '@electric-sql/*', 'react-devtools-core'];

function newestInput(entry = '') {
	const full = path.join(root, entry);
	const stats = statSync(full, {throwIfNoEntry: false});
	if (!stats) {
		return 0;
	}

	if (!stats.isDirectory()) {
		return stats.mtimeMs;
	}

	return Math.max(stats.mtimeMs, ...readdirSync(full).map(name => newestInput(path.join(entry, name))));
}

export function isStale() {
	const built = statSync(stamp, {throwIfNoEntry: false});
	return !built || Math.max(...inputs.map(input => newestInput(input))) > built.mtimeMs;
}

export async function build() {
	const esbuild = await import('esbuild');
	rmSync(outdir, {recursive: true, force: true});
	mkdirSync(outdir, {recursive: true});
	await esbuild.build({
		absWorkingDir: root,
		entryPoints: {ferry: 'source/cli/cli.ts', daemon: 'source/local-cloud/daemon.ts'},
		outdir,
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node22.13',
		external,
		jsx: 'automatic',
		// React's production build: the development one is twice the code and checks every render.
		define: {'process.env.NODE_ENV': '"production"'},
		minifySyntax: true,
		legalComments: 'eof',
		logLevel: 'warning',
		// CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
		banner: {js: 'import {createRequire as __ferryRequire} from \'node:module\'; const require = __ferryRequire(import.meta.url);'},
	});
	writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	if (!process.argv.includes('--if-stale') || isStale()) {
		await build();
	}
}
