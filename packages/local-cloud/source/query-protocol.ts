/**
 * AWS's query protocol, as IAM, STS and the Redshift management API speak it: form-encoded `Action=…&Version=…`
 * requests (POST body or query string) signed with SigV4, and XML answers `<{Action}Response xmlns=…>` with a
 * `<{Action}Result>` and `<ResponseMetadata><RequestId>`, errors as `<ErrorResponse><Error><Type>…<Code>…<Message>…
 * </Error><RequestId>…</RequestId></ErrorResponse>`. The signature is checked with the local cloud's own SigV4
 * code; keys are looked up in the local AWS account (its root, IAM users' keys and role sessions with their token).
 */
import type {IncomingMessage} from 'node:http';
import type {FaultInjection, StandInHandle} from './contract.js';
import {createFaultPoint} from './faults.js';
import type {AwsAccount, Caller} from './iam/account.js';
import {requestId as newRequestId} from './iam/account.js';
import {xmlDocument, type XmlElement} from './object-store/xml.js';
import {verifySigV4} from './sigv4.js';
import {crashMessage, serveStandIn, StandInError} from './stand-in-kit.js';

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
		throw new StandInError(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${scope.region}'. `);
	}

	if (scope && scope.service !== options.service) {
		throw new StandInError(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${options.service}'. `);
	}

	const holder = (id: string) => options.account.keyHolder(id);
	const result = await verifySigV4(request, {service: options.service, region: scope?.region ?? options.regions[0]!, body, now, lookupSecret: id => holder(id)?.secret});
	if (!result.ok) {
		switch (result.reason) {
			case 'missing': {
				throw new StandInError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
			}

			case 'unknown-key': {
				throw new StandInError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
			}

			case 'bad-signature': {
				throw new StandInError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
			}

			case 'skewed':
			case 'expired': {
				const signed = String(request.headers['x-amz-date'] ?? '');
				const early = Date.parse(`${signed.slice(0, 4)}-${signed.slice(4, 6)}-${signed.slice(6, 8)}T${signed.slice(9, 11)}:${signed.slice(11, 13)}:${signed.slice(13, 15)}Z`) < now.getTime();
				throw new StandInError(403, 'SignatureDoesNotMatch', early
					? `Signature expired: ${signed} is now earlier than ${amzDateText(new Date(now.getTime() - (15 * 60_000)))} (${amzDateText(now)} - 15 min.)`
					: `Signature not yet current: ${signed} is still later than ${amzDateText(new Date(now.getTime() + (15 * 60_000)))} (${amzDateText(now)} + 15 min.)`);
			}

			default: {
				throw new StandInError(400, 'IncompleteSignature', result.message);
			}
		}
	}

	const signer = holder(result.accessKeyId)!;
	const token = request.headers['x-amz-security-token'] ?? new URL(request.url ?? '/', 'http://local').searchParams.get('X-Amz-Security-Token') ?? undefined;
	if (signer.sessionToken !== undefined || token !== undefined) {
		if (token !== signer.sessionToken) {
			throw new StandInError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
		}

		if ((signer.expiresAt ?? Infinity) <= now.getTime()) {
			throw new StandInError(403, 'ExpiredToken', 'The security token included in the request is expired');
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

/** The error document; a refusal is the sender's fault, a 5xx the receiver's. */
export function queryErrorXml(namespace: string, error: StandInError, requestId: string): string {
	return xmlDocument('ErrorResponse', {Error: {Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message}, RequestId: requestId}, namespace);
}

/** An HTTP server for one query-protocol service on the stand-in kit: faults first, then the signature, the action and its version. */
export async function serveQueryService(options: QueryServiceOptions): Promise<StandInHandle> {
	const faults = createFaultPoint();
	const throttled = (status: number, code: string) => code === 'ServiceUnavailable' || status === 429;
	const served = await serveStandIn({
		port: options.port,
		faults,
		requestId: newRequestId,
		body: {limit: maximumBody, tooLarge: () => new StandInError(413, 'RequestEntityTooLarge', 'Request body is too large.')},
		faultError: fault => (throttled(fault.status, fault.code) ? new StandInError(fault.status, 'Throttling', 'Rate exceeded') : new StandInError(fault.status, fault.code, `Injected fault: ${fault.code}`)),
		async authenticate(request) {
			const pairs: Array<[string, string]> = [...request.url.searchParams.entries()];
			if (request.method === 'POST' && (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
				pairs.push(...new URLSearchParams(request.body.toString('utf8')).entries());
			}

			const caller = await authenticateQuery(request.incoming, request.body, {service: options.service, regions: options.regions, account: options.account, ...(options.now ? {now: options.now()} : {})});
			return {caller, parameters: queryParameters(pairs)};
		},
		async route(request, {caller, parameters}) {
			const action = parameters.get('Action');
			if (!action) {
				throw new StandInError(400, 'MissingAction', 'Missing Action');
			}

			const operation = Object.hasOwn(options.operations, action) ? options.operations[action] : undefined;
			if (!operation) {
				throw new StandInError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
			}

			if (parameters.get('Version') !== options.version) {
				throw new StandInError(400, 'InvalidAction', `Could not find operation ${action} for version ${parameters.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
			}

			return {body: queryResponseXml(action, options.namespace, await operation(parameters, caller), request.id)};
		},
		errorBody: (error, request) => queryErrorXml(options.namespace, error, request.id),
		internalError: error => new StandInError(500, 'ServiceFailure', crashMessage(error)),
		headers: request => ({'content-type': 'text/xml', 'x-amzn-requestid': request.id}),
	});
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
		throw new StandInError(400, 'ValidationError', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
	}

	return value;
}

/** A constraint failure in AWS's ValidationError wording. */
export function constraintError(member: string, value: string, constraint: string): StandInError {
	return new StandInError(400, 'ValidationError', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}
