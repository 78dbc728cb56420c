/** The Data API's request-field validation and its refusals (botocore redshift-data 2019-12-20 model). */
import {StandInError} from '../stand-in-kit.js';

export const validation = (message: string) => new StandInError(400, 'ValidationException', message);

const memberName = (name: string) => `${name.charAt(0).toLowerCase()}${name.slice(1)}`;

/** AWS's wording for a field that breaks its model constraint. */
export const constraintError = (name: string, value: unknown, constraint: string) =>
	validation(`1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${String(value)}'`} at '${memberName(name)}' failed to satisfy constraint: ${constraint}`);

export function requireString(body: Record<string, unknown>, name: string): string {
	const value = body[name];
	if (typeof value !== 'string' || value === '') {
		throw constraintError(name, undefined, 'Member must not be null');
	}

	return value;
}

export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
	const value = body[name];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The `UUID` shape: a statement id, with a `:n` suffix for one SQL of a batch. */
export const statementIdPattern = /^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\d+)?$/;

export function requireStatementId(body: Record<string, unknown>): string {
	const id = requireString(body, 'Id');
	if (!statementIdPattern.test(id)) {
		throw constraintError('Id', id, `Member must satisfy regular expression pattern: ${statementIdPattern.source}`);
	}

	return id;
}

const clusterIdentifierPattern = /^[a-z]([a-z0-9]|-[a-z0-9])*$/;

export function checkClusterIdentifier(identifier: string): void {
	if (identifier.length > 63 || !clusterIdentifierPattern.test(identifier)) {
		throw constraintError('ClusterIdentifier', identifier, `Member must satisfy regular expression pattern: ${clusterIdentifierPattern.source}`);
	}
}

/** MaxResults within the shape's range; `fallback` when absent. */
export function pageSize(body: Record<string, unknown>, max: number, fallback: number): number {
	const value = body['MaxResults'];
	if (value === undefined || value === null) {
		return fallback;
	}

	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
		throw constraintError('MaxResults', value, `Member must have value less than or equal to ${max}`);
	}

	return value === 0 ? fallback : value;
}

/** One page of `items` after the opaque NextToken `scope` issued earlier. */
export function page<T>(items: T[], body: Record<string, unknown>, scope: string, size: number): {items: T[]; nextToken?: string} {
	let offset = 0;
	const token = body['NextToken'];
	if (typeof token === 'string' && token !== '') {
		const decoded = /^(.*):(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
		if (decoded?.[1] !== scope) {
			throw validation('Invalid NextToken.');
		}

		offset = Number(decoded[2]);
	}

	const next = offset + size;
	return {items: items.slice(offset, next), ...(next < items.length ? {nextToken: Buffer.from(`${scope}:${next}`).toString('base64')} : {})};
}
