import type {ParsedArgs} from '../cli-args.js';
import {exitCodes, UsageError} from '../errors.js';
import {formatTable} from '../format.js';
import {readLocalCloudState, resetLocalCloud, serviceHealth, startLocalCloud, stopLocalCloud, type DaemonOptions} from '../local-cloud/manager.js';
import type {CommandIo} from '../main.js';
import {tpchScale} from '../local-cloud/tpch/scale.js';
import {services as knownServices} from '../services/index.js';

/** What `--ports` may name: every stand-in and its other doors. */
const portNames = [...knownServices.filter(service => service.standIn).map(service => service.name), ...knownServices.flatMap(service => service.standIn?.doors ?? [])];

function parsePorts(text: string | undefined): DaemonOptions['ports'] {
	if (!text) {
		return {};
	}

	const ports: DaemonOptions['ports'] = {};
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

export default async function localCloud(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [action = 'status'] = args.positionals;
	const print = (value: unknown, text: string) => io.stdout.write(args.flags.json ? `${JSON.stringify(value, undefined, 2)}\n` : text);
	switch (action) {
		case 'start': {
			const scaleFactor = args.flags.scale === undefined ? undefined : Number(args.flags.scale);
			if (scaleFactor !== undefined && !(scaleFactor > 0 && scaleFactor <= 10)) {
				throw new UsageError(`Invalid --scale ${args.flags.scale}`, {hint: 'A TPC-H scale factor such as 0.01, 0.1 or 1.'});
			}

			if (scaleFactor !== undefined) {
				// The generator's own limits, checked here so a bad factor is a usage error, not a daemon that dies.
				tpchScale(scaleFactor);
			}

			if (!args.flags.json) {
				io.stderr.write('Starting the local cloud…\n');
			}

			const state = await startLocalCloud({ports: parsePorts(args.flags.ports), ...(scaleFactor === undefined ? {} : {scaleFactor})});
			print({running: true, ...state}, `Local cloud running (pid ${state.pid}).\n${formatTable(['SERVICE', 'URL'], Object.entries(state.services))}`);
			return exitCodes.ok;
		}

		case 'status': {
			const state = readLocalCloudState();
			if (!state) {
				print({running: false}, 'The local cloud is not running. Start it with `ferry local-cloud start`.\n');
				return exitCodes.ok;
			}

			const services = await serviceHealth(state);
			const doors = Object.entries(state.doorPorts).map(([door, port]) => `${door}: 127.0.0.1:${port}\n`).join('');
			print({running: true, pid: state.pid, startedAt: state.startedAt, scaleFactor: state.scaleFactor, doorPorts: state.doorPorts, services}, `Local cloud running (pid ${state.pid}, TPC-H SF ${state.scaleFactor}).\n${formatTable(['SERVICE', 'URL', 'STATE'], services.map(service => [service.name, service.url, service.up ? 'up' : 'down']))}${doors}`);
			return services.every(service => service.up) ? exitCodes.ok : exitCodes.configuration;
		}

		case 'stop': {
			const stopped = await stopLocalCloud();
			print({stopped}, stopped ? 'Local cloud stopped.\n' : 'The local cloud was not running.\n');
			return exitCodes.ok;
		}

		case 'reset': {
			await resetLocalCloud();
			print({reset: true}, 'Local cloud stopped and its data cleared; the next start seeds it again.\n');
			return exitCodes.ok;
		}

		default: {
			throw new UsageError(`Unknown local-cloud action ${JSON.stringify(action)}`, {hint: 'Use start, stop, status or reset.'});
		}
	}
}
