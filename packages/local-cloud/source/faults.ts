/**
 * Faults on demand for the stand-ins: one queue per stand-in that its request handler consults first, for every
 * request from any client (ferry, or another stand-in doing its own work, e.g. LOAD reading OSS). Tests inject
 * single faults through `StandInHandle.injectFault`; `ferry local-cloud start --faults SPEC` installs standing rules.
 */
import type {IncomingMessage} from 'node:http';
import {setTimeout as sleep} from 'node:timers/promises';
import type {FaultInjection} from './contract.js';

/** One rule of `--faults`: which service, what goes wrong, and how often. */
export type {FaultRule} from 'ferry/local/files';
import type {FaultRule} from 'ferry/local/files';

/** What a stand-in does with a request the fault point picked: answer with an error, or nothing (dropped). */
export type FaultOutcome = {type: 'status'; status: number; code: string} | {type: 'reset'};

/** Error codes that match what each HTTP status means on the real services (their own codes where they differ). */
const codeForStatus: Record<number, string> = {
	400: 'InvalidRequest',
	403: 'AccessDenied',
	404: 'NotFound',
	408: 'RequestTimeout',
	409: 'Conflict',
	429: 'Throttling',
	500: 'InternalError',
	502: 'BadGateway',
	503: 'ServiceUnavailable',
	504: 'GatewayTimeout',
};

const s3Codes: Record<number, string> = {503: 'SlowDown', 429: 'SlowDown'};

export function faultCode(service: string, status: number): string {
	return (service === 's3' || service === 'oss' ? s3Codes[status] : undefined) ?? codeForStatus[status] ?? 'InternalError';
}

/**
 * The header of `local-cloud start`/`status` liveness probes: they ask whether the process answers, not the service,
 * so standing faults (a 100% reset) must not make a running local cloud look dead. No client sends it.
 */
export const healthProbeHeader = 'x-ferry-local-cloud-probe';

type Entry = FaultInjection & {remaining: number | undefined};

export type FaultPoint = {
	inject(fault: FaultInjection): void;
	/**
	 * Called first by a stand-in's request handler. Waits out a `slow` fault, destroys the socket for `reset`
	 * (the caller then stops), and returns the status to answer with in the service's own shape, if any.
	 */
	apply(request: IncomingMessage): Promise<FaultOutcome | undefined>;
};

export function createFaultPoint(options: {random?: () => number} = {}): FaultPoint {
	const random = options.random ?? Math.random;
	const entries: Entry[] = [];
	// Count faults come first in the order they were injected (tests rely on "the next N requests"); rates are
	// drawn independently for every request.
	const pick = (): Entry | undefined => {
		for (const [index, entry] of entries.entries()) {
			if (entry.rate !== undefined) {
				if (random() < entry.rate) {
					return entry;
				}

				continue;
			}

			if (entry.remaining === undefined) {
				return entry;
			}

			entry.remaining--;
			if (entry.remaining <= 0) {
				entries.splice(index, 1);
			}

			return entry;
		}

		return undefined;
	};

	return {
		inject(fault) {
			entries.push({...fault, remaining: fault.rate === undefined ? fault.count ?? (fault.delayMs === undefined ? 1 : undefined) : undefined});
		},
		async apply(request) {
			if (request.headers[healthProbeHeader] !== undefined) {
				return undefined;
			}

			const entry = pick();
			if (!entry) {
				return undefined;
			}

			if (entry.delayMs !== undefined) {
				await sleep(entry.delayMs);
				return undefined;
			}

			if (entry.reset) {
				request.resume();
				request.socket.destroy();
				return {type: 'reset'};
			}

			const status = entry.status ?? 503;
			return {type: 'status', status, code: entry.code ?? faultCode('', status)};
		},
	};
}

/** The injection a `--faults` rule makes on its stand-in. */
export function injectionFor(rule: FaultRule): FaultInjection {
	const amount = rule.rate === undefined ? (rule.count === undefined ? {} : {count: rule.count}) : {rate: rule.rate};
	if (rule.kind === 'reset') {
		return {reset: true, ...amount};
	}

	if (rule.kind === 'slow') {
		return {delayMs: Math.round((rule.delaySeconds ?? 1) * 1000), ...amount};
	}

	return {status: rule.kind, code: faultCode(rule.service, rule.kind), ...amount};
}

export class FaultSpecError extends Error {
	readonly entry: string;

	constructor(entry: string, reason: string) {
		super(`${JSON.stringify(entry)}: ${reason}`);
		this.name = 'FaultSpecError';
		this.entry = entry;
	}
}

function parseAmount(text: string, entry: string): {count: number} | {rate: number} {
	const rate = /^(\d+(?:\.\d+)?)%$/.exec(text);
	if (rate) {
		const percent = Number(rate[1]);
		if (!(percent > 0 && percent <= 100)) {
			throw new FaultSpecError(entry, 'a rate is between 0% and 100%');
		}

		return {rate: percent / 100};
	}

	if (/^\d+$/.test(text) && Number(text) > 0) {
		return {count: Number(text)};
	}

	throw new FaultSpecError(entry, `the amount ${JSON.stringify(text)} is neither a count (3) nor a rate (5%)`);
}

/**
 * Parses `SERVICE:KIND:AMOUNT[,…]`: KIND is an HTTP status (4xx/5xx), `reset` or `slow`; AMOUNT a count (`3`) or a
 * rate (`5%`). For `slow` the third field is the delay in seconds and an optional fourth is the amount (default:
 * every request), e.g. `s3:slow:2` or `oss:slow:1:10%`.
 */
export function parseFaultSpec(spec: string, knownServices: readonly string[]): FaultRule[] {
	const rules: FaultRule[] = [];
	for (const raw of spec.split(',')) {
		const entry = raw.trim();
		if (!entry) {
			continue;
		}

		const [service = '', kind = '', third, fourth, ...rest] = entry.split(':');
		if (!knownServices.includes(service)) {
			throw new FaultSpecError(entry, `unknown service ${JSON.stringify(service)}`);
		}

		if (third === undefined || rest.length > 0 || (fourth !== undefined && kind !== 'slow')) {
			throw new FaultSpecError(entry, 'expected SERVICE:KIND:AMOUNT');
		}

		if (kind === 'slow') {
			const seconds = Number(third);
			if (!/^\d+(?:\.\d+)?$/.test(third) || !(seconds > 0 && seconds <= 600)) {
				throw new FaultSpecError(entry, 'slow takes a delay in seconds (0 < delay ≤ 600)');
			}

			rules.push({service, kind, delaySeconds: seconds, ...(fourth === undefined ? {} : parseAmount(fourth, entry))});
			continue;
		}

		if (kind === 'reset') {
			rules.push({service, kind, ...parseAmount(third, entry)});
			continue;
		}

		const status = Number(kind);
		if (!/^\d{3}$/.test(kind) || status < 400 || status > 599) {
			throw new FaultSpecError(entry, `the kind ${JSON.stringify(kind)} is not an HTTP error status (400–599), reset or slow`);
		}

		rules.push({service, kind: status, ...parseAmount(third, entry)});
	}

	if (rules.length === 0) {
		throw new FaultSpecError(spec, 'no faults given');
	}

	return rules;
}

/** The rules as `--faults` spells them, for `local-cloud status`. */
export function formatFaultRules(rules: readonly FaultRule[]): string {
	return rules.map(rule => {
		const amount = rule.rate === undefined ? (rule.count === undefined ? undefined : String(rule.count)) : `${Number((rule.rate * 100).toFixed(4))}%`;
		if (rule.kind === 'slow') {
			return [rule.service, 'slow', String(rule.delaySeconds ?? 1), ...(amount ? [amount] : [])].join(':');
		}

		return [rule.service, String(rule.kind), amount ?? '1'].join(':');
	}).join(',');
}
