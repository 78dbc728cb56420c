// Bundles one of ferry's packages into its distribution/: one ESM bundle per entry, with code that only some commands
// need split into chunks loaded on demand. Packages that load native code or WebAssembly from files beside their own
// modules stay external and are imported from node_modules at run time. Each package's scripts/build.js says what.
import {mkdirSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/**
 * @param {{root: string, entryPoints: Record<string, string>, external: string[], inputs: string[]}} spec
 *   root: the package's folder; inputs: files and folders (relative to root) whose change makes a build stale.
 */
export function bundler(spec) {
	const outdir = path.resolve(spec.root, process.env['FERRY_BUILD_OUT'] ?? 'distribution');
	const stamp = path.join(outdir, '.build-stamp');

	function newestInput(entry) {
		const stats = statSync(entry, {throwIfNoEntry: false});
		if (!stats) {
			return 0;
		}

		if (!stats.isDirectory()) {
			return stats.mtimeMs;
		}

		return Math.max(stats.mtimeMs, ...readdirSync(entry).map(name => newestInput(path.join(entry, name))));
	}

	function isStale() {
		const built = statSync(stamp, {throwIfNoEntry: false});
		return !built || Math.max(...spec.inputs.map(input => newestInput(path.resolve(spec.root, input)))) > built.mtimeMs;
	}

	async function build() {
		const esbuild = await import('esbuild');
		rmSync(outdir, {recursive: true, force: true});
		mkdirSync(outdir, {recursive: true});
		await esbuild.build({
			absWorkingDir: spec.root,
			entryPoints: spec.entryPoints,
			outdir,
			bundle: true,
			splitting: true,
			format: 'esm',
			platform: 'node',
			target: 'node22.13',
			external: spec.external,
			// The workspace's packages reach each other's sources through this export condition (package.json `exports`).
			conditions: ['ferry-source'],
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

	return {outdir, isStale, build};
}

/** Runs a package's build script: `node scripts/build.js` builds, `--if-stale` only when an input is newer than the last build. */
export async function runBuild(packageBundler, argv = process.argv) {
	if (!argv.includes('--if-stale') || packageBundler.isStale()) {
		await packageBundler.build();
	}
}
