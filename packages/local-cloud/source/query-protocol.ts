/**
 * AWS's query protocol, as IAM, STS and the Redshift management API speak it: form-encoded `Action=…&Version=…`
 * requests (POST body or query string) signed with SigV4, and XML answers `<{Action}Response xmlns=…>` with a
 * `<{Action}Result>` and `<ResponseMetadata><RequestId>`, errors as `<ErrorResponse><Error><Type>…<Code>…<Message>…
 * </Error><RequestId>…</RequestId></ErrorResponse>`. The signature is checked with the local cloud's own SigV4
 * code; keys are looked up in the local AWS account (its root, IAM users' keys and role sessions with their token).
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {FaultInjection, StandInHandle} from './contract.js';
import {createFaultPoint} from './faults.js';
import {serveHttp} from './http-serve.js';
import type {AwsAccount, Caller} from './iam/account.js';
import {requestId as newRequestId} from './iam/account.js';
import {xmlDocument, type XmlElement} from './object-store/xml.js';
import {verifySigV4} from './sigv4.js';

export class QueryError extends Error {
	readonly status: number;
	readonly code: string;
	readonly type: 'Sender' | 'Receiver';
	constructor(status: number, code: string, message: string, type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender') {
		super(message);
		this.name = 'QueryError';
		this.status = status;
		this.code = code;
		this.type = type;
	}
}

/** The request's parameters: the query string's and, for a form POST, the body's. */
export type QueryParameters = {
	get(name: string): string | undefined;
	/** A list parameter: `Name.member.1`, `Name.member.2`, … (or `Name.Item.N`, as Redshift names its members). */
	list(name: string): string[];
	/** Every parameter name, for structured lists (`ContextEntries.member.1.ContextKeyName`). */
	names(): string[];
};

export function queryParameters(pairs: Iterable<[string, string]>): QueryParameters {
	const values = new Map<string, string>();
	for (const [name, value] of pairs) {
		values.set(name, value);
	}

	return {
		get: name => values.get(name),
		list(name) {
			const pattern = new RegExp(`^${name.replaceAll('.', String.raw`\.`)}\\.[A-Za-z]+\\.(\\d+)$`);
			return [...values.entries()]
				.map(([key, value]) => [pattern.exec(key)?.[1], value] as const)
				.filter((entry): entry is readonly [string, string] => entry[0] !== undefined)
				.sort(([a], [b]) => Number(a) - Number(b))
				.map(([, value]) => value);
		},
		names: () => [...values.keys()],
	};
}

export type QueryOperation = (parameters: QueryParameters, caller: Caller) => XmlElement | undefined | Promise<XmlElement | undefined>;

export type QueryServiceOptions = {
	/** The SigV4 service name, e.g. `iam`. */
	service: string;
	/** The regions a credential scope may name (IAM: us-east-1 only). */
	regions: readonly string[];
	/** The API version every request must name. */
	version: string;
	/** The XML namespace of answers, e.g. `https://iam.amazonaws.com/doc/2010-05-08/`. */
	namespace: string;
	account: AwsAccount;
	operations: Record<string, QueryOperation>;
	/** The stand-in's service name (StandInHandle.name). */
	name: string;
	port?: number;
	now?: () => Date;
};

const maximumBody = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maximumBody) {
			throw new QueryError(413, 'RequestEntityTooLarge', 'Request body is too large.');
		}

		chunks.push(chunk);
	}

	return Buffer.concat(chunks);
}

function amzDateText(date: Date): string {
	return date.toISOString().replaceAll(/[-:]|\.\d{3}/g, '');
}

/** The credential scope of a header or presigned signature, read before the signature is checked. */
function credentialScope(request: IncomingMessage): {region: string; service: string} | undefined {
	const authorization = String(request.headers.authorization ?? '');
	const fromQuery = new URL(request.url ?? '/', 'http://local').searchParams.get('X-Amz-Credential') ?? '';
	const match = /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? fromQuery;
	const parts = match.split('/');
	return parts.length === 5 ? {region: parts[2]!, service: parts[3]!} : undefined;
}

/**
 * Checks the request's SigV4 signature against the account's keys and returns the caller, or throws with the
 * query services' own codes: MissingAuthenticationToken, InvalidClientTokenId, SignatureDoesNotMatch (wrong key,
 * expired signature, wrong scope), IncompleteSignature, ExpiredToken.
 */
export async function authenticateQuery(request: IncomingMessage, body: Buffer, options: {service: string; regions: readonly string[]; account: AwsAccount; now?: Date}): Promise<Caller> {
	const now = options.now ?? new Date();
	const scope = credentialScope(request);
	if (scope && !options.regions.includes(scope.region)) {
		throw new QueryError(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${scope.region}'. `);
	}

	if (scope && scope.service !== options.service) {
		throw new QueryError(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${options.service}'. `);
	}

	const holder = (id: string) => options.account.keyHolder(id);
	const result = await verifySigV4(request, {service: options.service, region: scope?.region ?? options.regions[0]!, body, now, lookupSecret: id => holder(id)?.secret});
	if (!result.ok) {
		switch (result.reason) {
			case 'missing': {
				throw new QueryError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
			}

			case 'unknown-key': {
				throw new QueryError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
			}

			case 'bad-signature': {
				throw new QueryError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
			}

			case 'skewed':
			case 'expired': {
				const signed = String(request.headers['x-amz-date'] ?? '');
				const early = Date.parse(`${signed.slice(0, 4)}-${signed.slice(4, 6)}-${signed.slice(6, 8)}T${signed.slice(9, 11)}:${signed.slice(11, 13)}:${signed.slice(13, 15)}Z`) < now.getTime();
				throw new QueryError(403, 'SignatureDoesNotMatch', early
					? `Signature expired: ${signed} is now earlier than ${amzDateText(new Date(now.getTime() - (15 * 60_000)))} (${amzDateText(now)} - 15 min.)`
					: `Signature not yet current: ${signed} is still later than ${amzDateText(new Date(now.getTime() + (15 * 60_000)))} (${amzDateText(now)} + 15 min.)`);
			}

			default: {
				throw new QueryError(400, 'IncompleteSignature', result.message);
			}
		}
	}

	const signer = holder(result.accessKeyId)!;
	const token = request.headers['x-amz-security-token'] ?? new URL(request.url ?? '/', 'http://local').searchParams.get('X-Amz-Security-Token') ?? undefined;
	if (signer.sessionToken !== undefined || token !== undefined) {
		if (token !== signer.sessionToken) {
			throw new QueryError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
		}

		if ((signer.expiresAt ?? Infinity) <= now.getTime()) {
			throw new QueryError(403, 'ExpiredToken', 'The security token included in the request is expired');
		}
	}

	return signer.caller;
}

export function queryResponseXml(action: string, namespace: string, result: XmlElement | undefined, requestId: string): string {
	return xmlDocument(`${action}Response`, {
		...(result === undefined ? {} : {[`${action}Result`]: result}),
		ResponseMetadata: {RequestId: requestId},
	}, namespace);
}

export function queryErrorXml(namespace: string, error: QueryError, requestId: string): string {
	return xmlDocument('ErrorResponse', {Error: {Type: error.type, Code: error.code, Message: error.message}, RequestId: requestId}, namespace);
}

/** An HTTP server for one query-protocol service: faults first, then the signature, the action and its version. */
export async function serveQueryService(options: QueryServiceOptions): Promise<StandInHandle> {
	const faults = createFaultPoint();
	const send = (response: ServerResponse, status: number, text: string, requestId: string) => {
		response.writeHead(status, {'content-type': 'text/xml', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': requestId});
		response.end(text);
	};

	const handle = async (request: IncomingMessage, response: ServerResponse) => {
		const requestId = newRequestId();
		try {
			const fault = await faults.apply(request);
			if (fault?.type === 'reset') {
				return;
			}

			if (fault) {
				throw new QueryError(fault.status, fault.code === 'ServiceUnavailable' || fault.status === 429 ? 'Throttling' : fault.code, fault.code === 'ServiceUnavailable' || fault.status === 429 ? 'Rate exceeded' : `Injected fault: ${fault.code}`);
			}

			const body = await readBody(request);
			const contentType = String(request.headers['content-type'] ?? '');
			const url = new URL(request.url ?? '/', 'http://local');
			const pairs: Array<[string, string]> = [...url.searchParams.entries()];
			if (request.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
				pairs.push(...new URLSearchParams(body.toString('utf8')).entries());
			}

			const parameters = queryParameters(pairs);
			const caller = await authenticateQuery(request, body, {service: options.service, regions: options.regions, account: options.account, ...(options.now ? {now: options.now()} : {})});
			const action = parameters.get('Action');
			if (!action) {
				throw new QueryError(400, 'MissingAction', 'Missing Action');
			}

			const operation = Object.hasOwn(options.operations, action) ? options.operations[action] : undefined;
			if (!operation) {
				throw new QueryError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
			}

			if (parameters.get('Version') !== options.version) {
				throw new QueryError(400, 'InvalidAction', `Could not find operation ${action} for version ${parameters.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
			}

			const result = await operation(parameters, caller);
			send(response, 200, queryResponseXml(action, options.namespace, result, requestId), requestId);
		} catch (error) {
			const failure = error instanceof QueryError ? error : new QueryError(500, 'ServiceFailure', error instanceof Error ? error.message : String(error));
			send(response, failure.status, queryErrorXml(options.namespace, failure, requestId), requestId);
		}
	};

	const served = await serveHttp(handle, {port: options.port});
	return {
		name: options.name,
		url: `http://127.0.0.1:${served.port}`,
		port: served.port,
		injectFault(fault: FaultInjection) {
			faults.inject(fault);
		},
		close: served.stop,
	};
}

/** A required string parameter, or IAM's ValidationError for a null member. */
export function required(parameters: QueryParameters, name: string, member: string): string {
	const value = parameters.get(name);
	if (value === undefined) {
		throw new QueryError(400, 'ValidationError', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
	}

	return value;
}

/** A constraint failure in AWS's ValidationError wording. */
export function constraintError(member: string, value: string, constraint: string): QueryError {
	return new QueryError(400, 'ValidationError', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}
