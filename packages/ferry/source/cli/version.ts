import {existsSync, readFileSync} from 'node:fs';

/**
 * ferry's version from its package.json: two levels above source/cli/ when run with tsx, one above
 * distribution/ when built. Kept free of heavy imports: `ferry --version` loads only this.
 */
export function packageVersion(): string {
	for (const candidate of ['../package.json', '../../package.json']) {
		const url = new URL(candidate, import.meta.url);
		if (existsSync(url)) {
			const manifest = JSON.parse(readFileSync(url, 'utf8')) as {name?: string; version: string};
			if (manifest.name === 'ferry') {
				return manifest.version;
			}
		}
	}

	throw new Error('Cannot find ferry\'s package.json');
}
