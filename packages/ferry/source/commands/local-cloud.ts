import path from 'node:path';
import type {ParsedArgs} from '../cli/cli-args.js';
import {ConfigurationError, exitCodes, UsageError} from '../engine/errors.js';
import {formatTable} from '../ui/format.js';
import {createProgressLine} from '../ui/local-cloud-progress-line.js';
import {shows} from '../log/log-level.js';
import type {CommandIo} from '../cli/io.js';
import {localCloudFiles, readLocalCloudState, type FaultRule, type IdentitiesSeed, type LocalCloudState} from '../local/files.js';
import {loadLocalCloud, type LocalCloudPackage} from '../local/local-cloud-package.js';
import {writeFileAtomic} from '../store/atomic-write.js';

function identitiesLine(state: LocalCloudState): string {
	return `Identities: ${state.identities ?? 'configured'}${state.identities === 'missing' ? ' (no roles or policies were seeded; create them, or reset and start again)' : ''}\n`;
}

function parsePorts(localCloud: LocalCloudPackage, text: string | undefined): Record<string, number> {
	if (!text) {
		return {};
	}

	const {portNames} = localCloud;
	const ports: Record<string, number> = {};
	for (const pair of text.split(',')) {
		const [name, value] = pair.split('=');
		const port = Number(value);
		if (!name || !portNames.includes(name) || !Number.isInteger(port) || port < 1 || port > 65_535) {
			throw new UsageError(`Invalid --ports entry ${JSON.stringify(pair)}`, {hint: `Example: --ports s3=9000,oss=9001 (names: ${portNames.join(', ')})`});
		}

		ports[name] = port;
	}

	return ports;
}

/** `--faults`, which may name every service with a stand-in. */
export function parseFaultsFlag(localCloud: LocalCloudPackage, text: string | undefined): FaultRule[] | undefined {
	if (text === undefined) {
		return undefined;
	}

	const faultServices = localCloud.standInNames;
	try {
		return localCloud.parseFaultSpec(text, faultServices);
	} catch (error) {
		if (error instanceof localCloud.FaultSpecError) {
			throw new UsageError(`Invalid --faults entry ${error.message}`, {hint: `SERVICE:KIND:AMOUNT, KIND an HTTP status, reset or slow (seconds), AMOUNT a count or a rate; example: --faults s3:503:5%,maxcompute:reset:2,oss:slow:2 (services: ${faultServices.join(', ')})`});
		}

		throw error;
	}
}

function faultsLine(localCloud: LocalCloudPackage, faults: readonly FaultRule[] | undefined): string {
	return faults?.length ? `Faults in force: ${localCloud.formatFaultRules(faults)}\n` : '';
}

/** `local-cloud env`: only ever the local cloud's own throwaway keys, never a real profile's. */
function environmentText(localCloud: LocalCloudPackage, args: ParsedArgs): string {
	const {awsProfileFiles, environmentShells, formatEnvironment, localCloudEnvironment} = localCloud;
	if (args.flags.profile !== undefined && args.flags.profile !== 'local') {
		throw new UsageError(`\`ferry local-cloud env\` prints the local cloud's keys only, not profile ${JSON.stringify(args.flags.profile)}'s`, {hint: 'Drop --profile; for a real account use the vendors\' own credential chains.'});
	}

	const shell = args.flags.shell ?? (args.flags.json ? 'json' : 'sh');
	if (!environmentShells.includes(shell as never)) {
		throw new UsageError(`Invalid --shell ${JSON.stringify(shell)}`, {hint: `Use ${environmentShells.join(', ')}.`});
	}

	const state = readLocalCloudState();
	if (!state) {
		throw new ConfigurationError('The local cloud is not running', {hint: 'Start it with `ferry local-cloud start`.'});
	}

	const credentials = localCloud.loadLocalCredentials();
	const root = localCloudFiles().root;
	const awsFiles = {config: path.join(root, 'aws-config'), credentials: path.join(root, 'aws-credentials')};
	const contents = awsProfileFiles(credentials);
	writeFileAtomic(awsFiles.config, contents.config, 0o600);
	writeFileAtomic(awsFiles.credentials, contents.credentials, 0o600);
	const environment = localCloudEnvironment({services: state.services, doorPorts: state.doorPorts, ...(state.localhostProxy ? {localhostProxy: state.localhostProxy} : {}), credentials, awsFiles});
	return formatEnvironment(environment, shell as Parameters<typeof formatEnvironment>[1]);
}

export default async function localCloud(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [action = 'status'] = args.positionals;
	const print = (value: unknown, text: string) => io.stdout.write(args.flags.json ? `${JSON.stringify(value, undefined, 2)}\n` : text);
	if (!['start', 'status', 'stop', 'reset', 'env'].includes(action)) {
		throw new UsageError(`Unknown local-cloud action ${JSON.stringify(action)}`, {hint: 'Use start, stop, status, reset or env.'});
	}

	const localCloud = await loadLocalCloud();
	const {formatFaultRules} = localCloud;
	switch (action) {
		case 'start': {
			const scaleFactor = args.flags.scale === undefined ? undefined : Number(args.flags.scale);
			if (scaleFactor !== undefined && !(scaleFactor > 0 && scaleFactor <= 10)) {
				throw new UsageError(`Invalid --scale ${args.flags.scale}`, {hint: 'A TPC-H scale factor such as 0.01, 0.1 or 1.'});
			}

			if (scaleFactor !== undefined) {
				// The generator's own limits, checked here so a bad factor is a usage error, not a daemon that dies.
				localCloud.tpchScale(scaleFactor);
			}

			const ports = parsePorts(localCloud, args.flags.ports);
			const faults = parseFaultsFlag(localCloud, args.flags.faults);
			const identities = args.flags.identities as IdentitiesSeed | undefined;
			const already = readLocalCloudState();
			if (already && faults && formatFaultRules(faults) !== formatFaultRules(already.faults ?? [])) {
				throw new UsageError(`The local cloud is already running (pid ${already.pid}) ${already.faults?.length ? `with faults ${formatFaultRules(already.faults)}` : 'without faults'}`, {hint: 'Faults are set when it starts: `ferry local-cloud stop`, then start again with --faults.'});
			}

			if (already && identities && identities !== (already.identities ?? 'configured')) {
				throw new UsageError(`The local cloud is already running (pid ${already.pid}) with identities ${already.identities ?? 'configured'}`, {hint: `Identities are seeded once: \`ferry local-cloud reset\`, then \`ferry local-cloud start --identities ${identities}\`.`});
			}

			const progress = shows(args.flags.logLevel, 'info');
			if (!args.flags.json && progress) {
				io.stderr.write('Starting the local cloud…\n');
			}

			// stderr, so --json output stays one document; a terminal gets one live line, a log plain lines.
			const line = createProgressLine(progress ? io.stderr : {write: () => true});
			let state: LocalCloudState;
			try {
				state = await localCloud.startLocalCloud({ports, ...(scaleFactor === undefined ? {} : {scaleFactor}), ...(faults ? {faults} : {}), ...(identities ? {identities} : {}), onProgress: progress => line.update(progress)});
			} finally {
				line.done();
			}

			print({running: true, ...state, identities: state.identities ?? 'configured', faults: formatFaultRules(state.faults ?? [])}, `Local cloud running (pid ${state.pid}).\n${formatTable(['SERVICE', 'URL'], Object.entries(state.services))}${identitiesLine(state)}${faultsLine(localCloud, state.faults)}`);
			return exitCodes.ok;
		}

		case 'status': {
			const state = readLocalCloudState();
			if (!state) {
				print({running: false}, 'The local cloud is not running. Start it with `ferry local-cloud start`.\n');
				return exitCodes.configuration;
			}

			const services = await localCloud.serviceHealth(state);
			const doors = Object.entries(state.doorPorts).map(([door, port]) => `${door}: 127.0.0.1:${port}\n`).join('') + (state.localhostProxy ? `*.localhost proxy: ${state.localhostProxy}\n` : '');
			print({running: true, pid: state.pid, startedAt: state.startedAt, scaleFactor: state.scaleFactor, identities: state.identities ?? 'configured', doorPorts: state.doorPorts, ...(state.localhostProxy ? {localhostProxy: state.localhostProxy} : {}), services, faults: formatFaultRules(state.faults ?? [])}, `Local cloud running (pid ${state.pid}, TPC-H SF ${state.scaleFactor}).\n${formatTable(['SERVICE', 'URL', 'STATE'], services.map(service => [service.name, service.url, service.up ? 'up' : 'down']))}${doors}${identitiesLine(state)}${faultsLine(localCloud, state.faults)}`);
			return services.every(service => service.up) ? exitCodes.ok : exitCodes.configuration;
		}

		case 'stop': {
			const stopped = await localCloud.stopLocalCloud();
			print({stopped}, stopped ? 'Local cloud stopped.\n' : 'The local cloud was not running.\n');
			return exitCodes.ok;
		}

		case 'reset': {
			await localCloud.resetLocalCloud();
			print({reset: true}, 'Local cloud stopped and its data cleared; the next start seeds it again.\n');
			return exitCodes.ok;
		}

		case 'env': {
			io.stdout.write(environmentText(localCloud, args));
			return exitCodes.ok;
		}

		default: {
			throw new UsageError(`Unknown local-cloud action ${JSON.stringify(action)}`, {hint: 'Use start, stop, status, reset or env.'});
		}
	}
}
