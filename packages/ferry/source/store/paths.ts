import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

/**
 * Where ferry keeps its files. FERRY_HOME overrides every path (tests and demos use it);
 * otherwise the XDG base directories are followed.
 */
export type FerryPaths = {
	config: string;
	data: string;
	sessions: string;
	localCloud: string;
};

export function ferryPaths(env: NodeJS.ProcessEnv = process.env): FerryPaths {
	const home = env['FERRY_HOME'];
	if (home) {
		const root = path.resolve(home);
		return {config: path.join(root, 'config'), data: root, sessions: path.join(root, 'sessions'), localCloud: path.join(root, 'local-cloud')};
	}

	const userHome = os.homedir();
	const config = path.join(env['XDG_CONFIG_HOME'] || path.join(userHome, '.config'), 'ferry');
	const data = path.join(env['XDG_DATA_HOME'] || path.join(userHome, '.local', 'share'), 'ferry');
	return {config, data, sessions: path.join(data, 'sessions'), localCloud: path.join(data, 'local-cloud')};
}
