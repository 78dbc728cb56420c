import {randomUUID} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import {
	CancelStatementCommand,
	DescribeStatementCommand,
	ExecuteStatementCommand,
	type ExecuteStatementCommandOutput,
	GetStatementResultCommand,
	RedshiftDataClient,
	type DescribeStatementCommandOutput,
	type Field,
	type ColumnMetadata,
	type RedshiftDataClientConfig,
} from '@aws-sdk/client-redshift-data';
import {ServiceError} from '../../engine/errors.js';
import type {Logger} from '../../log/logger.js';
import {silentLogger} from '../../log/logger.js';
import {createRequestHandler} from '../http-agent.js';
import {withRetry, isRetryableStatus} from '../retry.js';
import type {
	AttachableRedshiftConnection,
	CallOptions,
	QueryResult,
	ResultColumn,
	ResultValue,
	StatementDescription,
	StatementStatus,
	WaitOptions,
} from './connection.js';
import {whoamiThrough} from './connection.js';

export type DataApiTarget =
	| {kind: 'cluster'; clusterIdentifier: string; dbUser?: string; secretArn?: string}
	| {kind: 'serverless'; workgroupName: string; secretArn?: string};

export type DataApiConnectionOptions = {
	region: string;
	database: string;
	target: DataApiTarget;
	/** e.g. the local stand-in's URL; unset for AWS. */
	endpoint?: string;
	/** A credentials provider from @aws-sdk/credential-providers, or fixed keys. */
	credentials?: RedshiftDataClientConfig['credentials'];
	logger?: Logger;
	/** Per HTTP request. @default 30000 */
	requestTimeoutMs?: number;
	/** Attempts per call for throttling and 5xx. @default 5 */
	attempts?: number;
	/** First retry back-off. @default 200 */
	retryBaseDelayMs?: number;
	/** Status polling interval bounds: short statements end fast, long UNLOADs back off. @default {min: 200, max: 2000} */
	pollIntervalMs?: {min: number; max: number};
};

const service = 'redshift-data';

const throttlingNames = new Set([
	'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded',
	'ActiveStatementsExceededException', 'ActiveWaitingRequestsExceededException', 'ServiceUnavailable', 'InternalServerException',
]);

const authNames = new Set([
	'UnrecognizedClientException', 'InvalidSignatureException', 'AccessDeniedException', 'ExpiredTokenException',
	'IncompleteSignature', 'MissingAuthenticationToken', 'InvalidClientTokenId', 'SignatureDoesNotMatch',
]);

type SdkErrorShape = {name?: string; message?: string; $metadata?: {httpStatusCode?: number; requestId?: string}};

function sdkStatus(error: unknown): number | undefined {
	return (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;
}

/** Throttling and 5xx are worth another try; 403 and every other 4xx never are. */
export function isRetryableDataApiError(error: unknown): boolean {
	if (error instanceof ServiceError) {
		return error.retryable;
	}

	const status = sdkStatus(error);
	if (status === 403 || authNames.has((error as SdkErrorShape).name ?? '')) {
		return false;
	}

	// A dropped keep-alive socket is worth another attempt: ExecuteStatement carries a ClientToken, so it is not run twice.
	const code = (error as NodeJS.ErrnoException).code ?? '';
	if (status === undefined && (transientNetworkCodes.has(code) || /socket hang up/i.test((error as Error).message ?? ''))) {
		return true;
	}

	return throttlingNames.has((error as SdkErrorShape).name ?? '') || (status !== undefined && isRetryableStatus(status));
}

const transientNetworkCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

function toServiceError(error: unknown): unknown {
	if (error instanceof ServiceError || (error instanceof Error && error.name === 'AbortError')) {
		return error;
	}

	const shape = error as SdkErrorShape;
	const status = shape.$metadata?.httpStatusCode;
	if (status === undefined) {
		return error;
	}

	const code = shape.name ?? 'UnknownError';
	const auth = status === 403 || authNames.has(code);
	return new ServiceError('Redshift Data API', `${code}: ${shape.message ?? 'request failed'}`, {
		status,
		code,
		requestId: shape.$metadata?.requestId,
		retryable: isRetryableDataApiError(error),
		auth,
		hint: auth ? 'Check the AWS credentials of the profile and their redshift-data permissions.' : undefined,
		cause: error,
	});
}

function fieldValue(field: Field, column: ResultColumn | undefined): ResultValue {
	if (field.isNull) {
		return null;
	}

	if (field.booleanValue !== undefined) {
		return field.booleanValue;
	}

	if (field.longValue !== undefined) {
		return field.longValue;
	}

	if (field.doubleValue !== undefined) {
		return field.doubleValue;
	}

	if (field.stringValue !== undefined) {
		return column?.typeName === 'int8' && Number.isSafeInteger(Number(field.stringValue)) ? Number(field.stringValue) : field.stringValue;
	}

	if (field.blobValue !== undefined) {
		return Buffer.from(field.blobValue).toString('base64');
	}

	return null;
}

function columnOf(metadata: ColumnMetadata): ResultColumn {
	return {
		name: metadata.name ?? metadata.label ?? '',
		typeName: metadata.typeName ?? '',
		precision: metadata.precision ?? 0,
		scale: metadata.scale ?? 0,
	};
}

function describe(output: DescribeStatementCommandOutput): StatementDescription {
	return {
		id: output.Id ?? '',
		status: (output.Status ?? 'SUBMITTED') as StatementStatus,
		error: output.Error,
		hasResultSet: output.HasResultSet ?? false,
		resultRows: output.ResultRows ?? 0,
		durationMs: output.Duration === undefined ? undefined : output.Duration / 1e6,
		redshiftQueryId: output.RedshiftQueryId,
	};
}

export function createDataApiConnection(options: DataApiConnectionOptions): AttachableRedshiftConnection {
	const logger = options.logger ?? silentLogger;
	const poll = options.pollIntervalMs ?? {min: 200, max: 2000};
	const client = new RedshiftDataClient({
		region: options.region,
		endpoint: options.endpoint,
		credentials: options.credentials,
		// ferry retries itself so that each attempt is logged and 403 is never retried.
		maxAttempts: 1,
		// The Data API's own endpoint decides the proxy (HTTPS_PROXY, NO_PROXY), as for every client.
		requestHandler: createRequestHandler({requestTimeoutMs: options.requestTimeoutMs ?? 30_000, connectTimeoutMs: 10_000, endpoint: options.endpoint ?? `https://redshift-data.${options.region}.amazonaws.com`}),
	});

	const target = options.target.kind === 'cluster'
		? {ClusterIdentifier: options.target.clusterIdentifier, DbUser: options.target.dbUser, SecretArn: options.target.secretArn}
		: {WorkgroupName: options.target.workgroupName, SecretArn: options.target.secretArn};

	async function call<T>(operation: string, send: (signal: AbortSignal | undefined) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
		return withRetry(async attempt => {
			const started = performance.now();
			try {
				const output = await send(signal);
				const metadata = (output as {$metadata?: {httpStatusCode?: number; requestId?: string}}).$metadata;
				logger.request({service, operation, status: metadata?.httpStatusCode, durationMs: performance.now() - started, requestId: metadata?.requestId, attempt});
				return output;
			} catch (error) {
				const shape = error as SdkErrorShape;
				logger.request({
					service,
					operation,
					status: shape.$metadata?.httpStatusCode ?? shape.name,
					durationMs: performance.now() - started,
					requestId: shape.$metadata?.requestId,
					attempt,
					error: shape.name ?? String(error),
				});
				throw toServiceError(error);
			}
		}, {
			attempts: options.attempts ?? 5,
			baseDelayMs: options.retryBaseDelayMs ?? 200,
			signal,
			isRetryable: isRetryableDataApiError,
		});
	}

	async function describeStatement(statementId: string, signal?: AbortSignal): Promise<StatementDescription> {
		const output = await call('DescribeStatement', abortSignal => client.send(new DescribeStatementCommand({Id: statementId}), {abortSignal}), signal);
		return describe(output);
	}

	async function execute(sql: string, callOptions: CallOptions = {}): Promise<{statementId: string}> {
		// One token for every attempt, so a retried ExecuteStatement never runs the SQL twice.
		const clientToken = randomUUID();
		let output: ExecuteStatementCommandOutput | undefined;
		try {
			output = await call('ExecuteStatement', abortSignal => client.send(new ExecuteStatementCommand({
				Sql: sql,
				Database: options.database,
				ClientToken: clientToken,
				...target,
			}), {abortSignal}), callOptions.signal);
		} finally {
			logger.statement({service, text: sql, ...(output?.Id ? {remoteId: output.Id} : {})});
		}

		if (!output.Id) {
			throw new ServiceError('Redshift Data API', 'ExecuteStatement returned no statement id');
		}

		return {statementId: output.Id};
	}

	async function waitFor(statementId: string, waitOptions: WaitOptions = {}): Promise<StatementDescription> {
		let delay = poll.min;
		for (;;) {
			waitOptions.signal?.throwIfAborted();
			const description = await describeStatement(statementId, waitOptions.signal);
			waitOptions.onStatus?.(description);
			if (description.status === 'FINISHED') {
				return description;
			}

			if (description.status === 'FAILED') {
				throw new ServiceError('Redshift', description.error ?? `statement ${statementId} failed`, {code: 'StatementFailed'});
			}

			if (description.status === 'ABORTED') {
				throw new ServiceError('Redshift', description.error ?? `statement ${statementId} was cancelled`, {code: 'StatementAborted'});
			}

			await sleep(delay, undefined, {signal: waitOptions.signal});
			delay = Math.min(poll.max, Math.round(delay * 1.5));
		}
	}

	async function readResult(statementId: string, signal?: AbortSignal): Promise<QueryResult> {
		let columns: ResultColumn[] = [];
		const rows: ResultValue[][] = [];
		let nextToken: string | undefined;
		do {
			const token = nextToken;
			const page = await call('GetStatementResult', abortSignal => client.send(new GetStatementResultCommand({Id: statementId, NextToken: token}), {abortSignal}), signal);
			if (page.ColumnMetadata && columns.length === 0) {
				columns = page.ColumnMetadata.map(metadata => columnOf(metadata));
			}

			for (const record of page.Records ?? []) {
				rows.push(record.map((field, index) => fieldValue(field, columns[index])));
			}

			nextToken = page.NextToken;
		} while (nextToken);

		return {columns, rows};
	}

	const connection: AttachableRedshiftConnection = {
		kind: 'data-api',
		execute,
		waitFor,
		async query(sql, callOptions = {}) {
			const {statementId} = await execute(sql, callOptions);
			const description = await waitFor(statementId, {signal: callOptions.signal});
			return description.hasResultSet ? readResult(statementId, callOptions.signal) : {columns: [], rows: []};
		},
		async cancel(statementId, callOptions = {}) {
			await call('CancelStatement', abortSignal => client.send(new CancelStatementCommand({Id: statementId}), {abortSignal}), callOptions.signal);
		},
		async attach(statementId, callOptions = {}) {
			return describeStatement(statementId, callOptions.signal);
		},
		whoami: callOptions => whoamiThrough(connection, callOptions),
		async close() {
			client.destroy();
		},
	};
	return connection;
}
