/**
 * MaxCompute's error shapes turned into ferry errors: HTTP errors (`<Error><Code/><Message/><RequestId/>` or the same
 * in JSON, `odps/errors.py parse_response`) and failed SQL tasks, whose `?result` text starts with an ODPS-xxxxxxx code.
 */
import {XMLParser} from 'fast-xml-parser';
import {ServiceError} from '../../engine/errors.js';

export const serviceName = 'MaxCompute';

export type OdpsErrorBody = {code: string | undefined; message: string; requestId: string | undefined};

const xmlParser = new XMLParser({parseTagValue: false, trimValues: true});

export function parseErrorBody(status: number, body: string, headers: Headers): OdpsErrorBody {
	const headerRequestId = headers.get('x-odps-request-id') ?? undefined;
	const text = body.trim();
	if (text.startsWith('<')) {
		try {
			const parsed = xmlParser.parse(text) as {Error?: {Code?: unknown; Message?: unknown; RequestId?: unknown}};
			if (parsed.Error) {
				return {
					code: stringOrUndefined(parsed.Error.Code),
					message: stringOrUndefined(parsed.Error.Message) ?? `HTTP ${status}`,
					requestId: stringOrUndefined(parsed.Error.RequestId) ?? headerRequestId,
				};
			}
		} catch {
			// Not XML after all (an HTML gateway page, say); fall through to the raw text.
		}
	} else if (text.startsWith('{')) {
		try {
			const parsed = JSON.parse(text) as {Code?: unknown; Message?: unknown; RequestId?: unknown};
			return {
				code: stringOrUndefined(parsed.Code),
				message: stringOrUndefined(parsed.Message) ?? `HTTP ${status}`,
				requestId: headerRequestId ?? stringOrUndefined(parsed.RequestId),
			};
		} catch {
			// Fall through.
		}
	}

	return {code: undefined, message: text.slice(0, 300) || `HTTP ${status}`, requestId: headerRequestId};
}

function stringOrUndefined(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

const authCodes = new Set(['AuthorizationRequired', 'Unauthorized', 'InvalidAccessKeyId', 'SignatureNotMatch', 'AuthenticationRequestExpired', 'NoPermission', 'InvalidSecurityToken']);
/** Codes in messages that mean the keys are wrong, whatever the `<Code>` says (e.g. `InvalidParameter` + ODPS-0410051). */
const authOdpsCodes = ['ODPS-0410042', 'ODPS-0410051', 'ODPS-0420095'];
const throttlingCodes = new Set(['RequestQuotaExceeded', 'QPSExceeded', 'SlotExceeded', 'FlowExceeded', 'Throttling', 'ServiceUnavailable', 'InternalServerError']);

/** The real service spells it `RequestTimeTooSkewd` (pyodps keeps an alias for the typo); ferry reports one spelling. */
function normaliseCode(code: string | undefined): string | undefined {
	return code === 'RequestTimeTooSkewd' ? 'RequestTimeTooSkewed' : code;
}

export function httpError(status: number, body: OdpsErrorBody, context: {project: string; endpoint: string; region?: string; idempotent: boolean}): ServiceError {
	const code = normaliseCode(body.code);
	const common = {status, requestId: body.requestId, code};
	const described = code ? `${code}: ${body.message}` : body.message;
	if (code === 'NoSuchProject' || (code === 'NoSuchObject' && /project not found/i.test(body.message))) {
		return new ServiceError(serviceName, `project "${context.project}" not found at ${context.endpoint} (${described})`, {
			...common,
			auth: true,
			hint: `Check the project name and that the endpoint is in the project's region${context.region ? ` (${context.region})` : ''}: service.<region>.maxcompute.aliyun.com/api.`,
		});
	}

	if (code === 'RequestTimeTooSkewed') {
		return new ServiceError(serviceName, `the request time is too far from the server's clock (${described})`, {
			...common,
			auth: true,
			hint: 'Synchronise this machine\'s clock (NTP); MaxCompute accepts a skew of at most 15 minutes.',
		});
	}

	if (status === 401 || (code !== undefined && authCodes.has(code)) || authOdpsCodes.some(odpsCode => body.message.includes(odpsCode))) {
		return new ServiceError(serviceName, `the credentials were refused (${described})`, {
			...common,
			auth: true,
			hint: 'Check the AccessKey ID and secret (and the STS token, if any) in the profile, and that the account may use this project.',
		});
	}

	// A POST that failed with a 500 may have created the instance anyway; only "not accepted" answers are safe to repeat.
	const notAccepted = status === 429 || status === 503;
	const retryable = (context.idempotent || notAccepted) && (notAccepted || status >= 500 || (code !== undefined && throttlingCodes.has(code)));
	return new ServiceError(serviceName, `HTTP ${status} ${described}`, {...common, retryable});
}

/** A SQL task that ended Failed: the ODPS code and message from the task's result text. */
export class OdpsSqlError extends ServiceError {
	readonly instanceId: string;
	readonly odpsCode: string | undefined;
	readonly odpsMessage: string;

	constructor(instanceId: string, resultText: string) {
		const {code, message} = splitOdpsMessage(resultText);
		super(serviceName, `SQL failed in instance ${instanceId}: ${code ? `${code}: ` : ''}${message}`, {code});
		this.name = 'OdpsSqlError';
		this.instanceId = instanceId;
		this.odpsCode = code;
		this.odpsMessage = message;
	}
}

/** `ODPS-0130071:[1,8] Semantic analysis exception - …` → the code and the rest, trimmed. */
export function splitOdpsMessage(text: string): {code: string | undefined; message: string} {
	const trimmed = text.trim();
	const match = /^(?:FAILED:\s*)?(ODPS-\d{7})\s*:?\s*([\s\S]*)$/.exec(trimmed);
	if (match) {
		return {code: match[1], message: (match[2] ?? '').trim()};
	}

	return {code: undefined, message: trimmed || 'the task failed without a message'};
}
