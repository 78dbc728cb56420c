// The background process behind `ferry local-cloud start`: runs every stand-in until SIGTERM.
import process from 'node:process';
import {services} from '../services/index.js';
import {loadLocalCredentials} from './local-credentials.js';
import {localCloudFiles, rememberPorts, writeLocalCloudState, type DaemonOptions} from './manager.js';
import {startLocalCloudServices} from './all.js';

const options = JSON.parse(process.argv[2] ?? '{}') as DaemonOptions;
const files = localCloudFiles();
const cloud = await startLocalCloudServices({dataDir: files.data, credentials: loadLocalCredentials(), scaleFactor: options.scaleFactor ?? 0.01, services, ports: options.ports ?? {}});
const endpoints = Object.fromEntries(Object.entries(cloud.services).map(([name, handle]) => [name, handle.url]));
const doorPorts = Object.fromEntries(Object.values(cloud.services).flatMap(handle => Object.entries(handle.doorPorts ?? {})));
rememberPorts(cloud.ports);
writeLocalCloudState({pid: process.pid, startedAt: new Date().toISOString(), scaleFactor: options.scaleFactor ?? 0.01, services: endpoints, doorPorts});
console.log(`${new Date().toISOString()} local cloud up: ${JSON.stringify(endpoints)}`);

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
