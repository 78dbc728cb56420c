/**
 * The local DataWorks' side of the RPC protocol (dataworks-public 2020-05-18), over the gateway's checks in
 * ../alibaba-rpc/: the decoding of action parameters, and the answer envelope, `{RequestId, Success, HttpStatusCode,
 * Data}`, or fields beside RequestId for the actions that answer so.
 */
import type {RpcParams} from '../alibaba-rpc/rpc-api.js';
import {invalid, missing} from './errors.js';
import {cstOffsetMs} from './scheduling.js';

export type Params = RpcParams;

export const apiVersion = '2020-05-18';

export function required(params: Params, name: string): string {
	const value = params[name];
	if (value === undefined || value === '') {
		throw missing(name);
	}

	return value;
}

export function requiredId(params: Params, name: string): number {
	const value = required(params, name);
	if (!/^\d+$/.test(value)) {
		throw invalid(name, 'expected a number');
	}

	return Number(value);
}

/** A parameter that holds a JSON object; absent or empty: undefined. */
export function jsonObject(params: Params, name: string): Record<string, unknown> | undefined {
	if (!params[name]) {
		return undefined;
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(params[name]);
	} catch {
		throw invalid(name, 'not a JSON object');
	}

	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw invalid(name, 'not a JSON object');
	}

	return parsed as Record<string, unknown>;
}

/** A business date, `yyyy-MM-dd[ 00:00:00]`: the start of that day in China Standard Time. */
export function bizDate(value: string, name: string): number {
	const match = /^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$/.exec(value);
	if (!match) {
		throw invalid(name, 'expected yyyy-MM-dd 00:00:00');
	}

	return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - cstOffsetMs;
}

/** A comma-separated list of ids; absent: none. */
export function idList(params: Params, name: string): number[] {
	return (params[name] ?? '').split(',').map(item => item.trim()).filter(Boolean).map(Number);
}

/** One page of a list, as PageNumber (from 1) and PageSize (10, at most 100) ask. */
export function page<T>(items: T[], params: Params): {PageNumber: number; PageSize: number; TotalCount: number; items: T[]} {
	const pageNumber = Math.max(1, Number(params.PageNumber ?? 1) || 1);
	const pageSize = Math.min(100, Math.max(1, Number(params.PageSize ?? 10) || 10));
	return {PageNumber: pageNumber, PageSize: pageSize, TotalCount: items.length, items: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize)};
}

/** An answer whose fields sit beside RequestId instead of under Data, as CreateBusiness's and RunManualDagNodes' do. */
export class TopLevelAnswer {
	readonly fields: Record<string, unknown>;

	constructor(fields: Record<string, unknown>) {
		this.fields = fields;
	}
}

export function rpcAnswer(requestId: string, data: unknown): Record<string, unknown> {
	return data instanceof TopLevelAnswer ? {RequestId: requestId, ...data.fields} : {RequestId: requestId, Success: true, HttpStatusCode: 200, Data: data};
}
