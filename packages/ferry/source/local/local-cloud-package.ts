/**
 * The one place ferry reaches the `@ferry/local-cloud` package: a lazy import, so ferry installs and runs against
 * real clouds without the local cloud's engines (DuckDB, PGlite). Everything else about the local cloud ferry
 * learns from the files the daemon writes (files.ts).
 */
import {ConfigurationError} from '../engine/errors.js';
import {progressLogger, type LocalCloudProgress} from './progress.js';
import {readLocalCloudState, type LocalCloudState} from './files.js';

export type LocalCloudPackage = typeof import('@ferry/local-cloud');

const packageName = '@ferry/local-cloud';

/** The local cloud's package, or a configuration error saying how to install it. */
export async function loadLocalCloud(): Promise<LocalCloudPackage> {
	try {
		return await import(packageName) as LocalCloudPackage;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(packageName)) {
			throw new ConfigurationError('The local cloud is not installed', {hint: `Install it beside ferry (\`npm install --global ${packageName}\`), or use a profile of a real account (\`ferry profiles add\`).`, cause: error});
		}

		throw error;
	}
}

/**
 * The running local cloud, started first when it is not. What the start is doing goes to `onProgress` (the
 * interactive app's live line) or, without one, to `log` as plain lines, so a first start that seeds TPC-H is never
 * a blank wait.
 */
export async function ensureLocalCloud(options: {log: (message: string) => void; onProgress?: (progress: LocalCloudProgress) => void; signal?: AbortSignal}): Promise<LocalCloudState> {
	const running = readLocalCloudState();
	if (running) {
		return running;
	}

	const localCloud = await loadLocalCloud();
	if (!options.onProgress) {
		options.log('Starting the local cloud (its first start seeds TPC-H)…');
	}

	return localCloud.startLocalCloud({onProgress: options.onProgress ?? progressLogger(options.log), ...(options.signal ? {signal: options.signal} : {})});
}
