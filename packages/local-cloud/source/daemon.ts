// The background process behind `ferry local-cloud start`: runs every stand-in until SIGTERM.
import process from 'node:process';
import {localCloudFiles} from 'ferry/local/files';
import {processStartTicks} from 'ferry/store/process-alive';
import {loadLocalCredentials} from './local-credentials.js';
import {localAlibabaAccountId, localAwsAccountId} from './contract.js';
import {rememberPorts, writeLocalCloudState, type DaemonOptions} from './manager.js';
import {publishedSecretSettings, publishedSettings} from './published-settings.js';
import {standIns} from './registry.js';
import {startLocalCloudServices} from './all.js';
import {localhostProxyPortName, startLocalhostProxy} from './localhost-proxy.js';
import {progressFileWriter, setProgressReporter} from './progress.js';

const options = JSON.parse(process.argv[2] ?? '{}') as DaemonOptions;
const files = localCloudFiles();
const progress = progressFileWriter(files.progress);
setProgressReporter(progress);
progress({phase: 'starting'});
const identities = options.identities ?? 'configured';
const cloud = await startLocalCloudServices({dataDir: files.data, credentials: loadLocalCredentials(), scaleFactor: options.scaleFactor ?? 0.01, standIns, ports: options.ports ?? {}, faults: options.faults ?? [], identities});
const endpoints = Object.fromEntries(Object.entries(cloud.services).map(([name, handle]) => [name, handle.url]));
const doorPorts = Object.fromEntries(Object.values(cloud.services).flatMap(handle => Object.entries(handle.doorPorts ?? {})));
// Not a stand-in: the proxy lets clients that cannot resolve *.localhost reach the virtual-hosted ones (OSS, Log Service).
// It connects only to the stand-ins' own ports, never to another program listening on 127.0.0.1.
const ownPorts = new Set([...Object.values(endpoints).map(url => Number(new URL(url).port)), ...Object.values(doorPorts)]);
const proxy = await startLocalhostProxy({port: options.ports?.[localhostProxyPortName], allowedPorts: ownPorts});
rememberPorts({...cloud.ports, [localhostProxyPortName]: proxy.port});
const processStart = processStartTicks(process.pid);
// Ready is reported before the state file exists, so whoever sees the state has seen ready too.
progress({phase: 'ready'});
setProgressReporter(undefined);
writeLocalCloudState({pid: process.pid, ...(processStart === undefined ? {} : {processStart}), startedAt: new Date().toISOString(), scaleFactor: options.scaleFactor ?? 0.01, identities, services: endpoints, doorPorts, localhostProxy: proxy.url, accounts: {aws: localAwsAccountId, alibaba: localAlibabaAccountId}, settings: publishedSettings(doorPorts), secretSettings: {...publishedSecretSettings}, ...(options.faults?.length ? {faults: options.faults} : {})});
console.log(`${new Date().toISOString()} local cloud up: ${JSON.stringify(endpoints)}`);

let stopping = false;
const stop = async () => {
	if (stopping) {
		return;
	}

	stopping = true;
	await proxy.close();
	await cloud.close();
	process.exit(0);
};

process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
