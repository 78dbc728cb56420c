import path from 'node:path';
import type {IdentitiesSeed, LocalCloudCredentials, StandInHandle} from './contract.js';
import {localRegion} from './contract.js';
import {injectionFor, type FaultRule} from './faults.js';
import {reportProgress} from './progress.js';
import type {StandIn} from './registry.js';

export type LocalCloudOptions = {
	dataDir: string;
	credentials: LocalCloudCredentials;
	scaleFactor: number;
	/** The stand-ins to run (`registry.ts`). */
	standIns: readonly StandIn[];
	/** Ports from an earlier start, by service name or door name. */
	ports?: Record<string, number>;
	/** Standing faults (`local-cloud start --faults`), installed once every stand-in runs so seeding is unaffected. */
	faults?: readonly FaultRule[];
	/** What fresh data is seeded with (`local-cloud start --identities`). @default 'configured' */
	identities?: IdentitiesSeed;
};

export type LocalCloud = {
	services: Record<string, StandInHandle>;
	/** Every port in use, by service name and door name: kept so the next start reuses them. */
	ports: Record<string, number>;
	close(): Promise<void>;
};

/** The order to start stand-ins in: each after the ones it needs, otherwise in the registry's order. */
export function startOrder(standIns: readonly StandIn[]): StandIn[] {
	const ordered: StandIn[] = [];
	const visit = (service: StandIn, path: string[]) => {
		if (ordered.includes(service)) {
			return;
		}

		if (path.includes(service.name)) {
			throw new Error(`Stand-ins need each other in a circle: ${[...path, service.name].join(' → ')}`);
		}

		for (const need of service.needs ?? []) {
			const needed = standIns.find(candidate => candidate.name === need);
			if (!needed) {
				throw new Error(`The ${service.name} stand-in needs ${need}, which has no stand-in`);
			}

			visit(needed, [...path, service.name]);
		}

		ordered.push(service);
	};

	for (const service of standIns) {
		visit(service, []);
	}

	return ordered;
}

/**
 * Starts every stand-in in this process, wired together the way the real clouds are (each gets the handles of
 * the stand-ins it needs, e.g. MaxCompute LOAD reads the OSS stand-in).
 */
export async function startLocalCloudServices(options: LocalCloudOptions): Promise<LocalCloud> {
	const ports = options.ports ?? {};
	const running: Record<string, StandInHandle> = {};
	const started: StandInHandle[] = [];
	const close = async () => {
		for (const handle of started.reverse()) {
			await handle.close().catch(() => undefined);
		}
	};

	try {
		for (const service of startOrder(options.standIns)) {
			reportProgress({phase: 'starting', service: service.name});
			const handle = await service.start({
				dataDir: path.join(options.dataDir, service.name),
				region: localRegion,
				credentials: options.credentials,
				...(ports[service.name] ? {port: ports[service.name]} : {}),
				doorPorts: ports,
				scaleFactor: options.scaleFactor,
				running,
				identities: options.identities ?? 'configured',
			});
			started.push(handle);
			running[service.name] = handle;
		}
	} catch (error) {
		await close();
		throw error;
	}

	for (const rule of options.faults ?? []) {
		const handle = running[rule.service];
		if (!handle) {
			await close();
			throw new Error(`--faults names ${rule.service}, which has no stand-in`);
		}

		handle.injectFault(injectionFor(rule));
	}

	const allPorts = Object.fromEntries(Object.entries(running).flatMap(([name, handle]) => [[name, handle.port], ...Object.entries(handle.doorPorts ?? {})]));
	return {services: running, ports: allPorts, close};
}
