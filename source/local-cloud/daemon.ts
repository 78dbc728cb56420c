// The background process behind `ferry local-cloud start`: runs every stand-in until SIGTERM.
import process from 'node:process';
import {localServiceNames} from './contract.js';
import {loadLocalCredentials} from './local-credentials.js';
import {localCloudFiles, rememberPorts, writeLocalCloudState, type DaemonOptions} from './manager.js';
import {startLocalCloudServices} from './all.js';

const options = JSON.parse(process.argv[2] ?? '{}') as DaemonOptions;
const files = localCloudFiles();
const cloud = await startLocalCloudServices({dataDir: files.data, credentials: loadLocalCredentials(), scaleFactor: options.scaleFactor ?? 0.01, ports: options.ports ?? {}});
const services = Object.fromEntries(localServiceNames.map(name => [name, cloud.services[name].url])) as Record<(typeof localServiceNames)[number], string>;
rememberPorts({...Object.fromEntries(localServiceNames.map(name => [name, cloud.services[name].port])), 'redshift-pg': cloud.pgPort});
writeLocalCloudState({pid: process.pid, startedAt: new Date().toISOString(), scaleFactor: options.scaleFactor ?? 0.01, services, pgPort: cloud.pgPort});
console.log(`${new Date().toISOString()} local cloud up: ${JSON.stringify(services)}`);

let stopping = false;
const stop = async () => {
	if (stopping) {
		return;
	}

	stopping = true;
	await cloud.close();
	process.exit(0);
};

process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
