import {randomUUID} from 'node:crypto';
import http from 'node:http';
import type {PGlite} from '@electric-sql/pglite';
import {precisionAndScale, typeNameOfOid} from '../../clouds/redshift/postgres-types.js';
import type {FaultInjection} from '../contract.js';
import {createFaultPoint} from '../faults.js';
import {verifySigV4} from '../sigv4.js';
import {runSql, rowsOfCommandTag} from './sql-runner.js';
import {StatementStore, type StoredColumn, type StoredResult, type StoredStatement} from './statement-store.js';
import {isUnloadStatement, maskUnloadCredentials, parseUnload} from './unload-command.js';
import {runUnload, type UnloadEnvironment} from './unload.js';

export type DataApiServerOptions = {
	db: PGlite;
	store: StatementStore;
	region: string;
	credentials: {accessKeyId: string; secret: string};
	databaseName: string;
	unload: Omit<UnloadEnvironment, 'db'>;
	/** Every statement on PGlite goes through this queue (shared with the wire-protocol server's lock). */
	serialise: <T>(work: () => Promise<T>) => Promise<T>;
};

/** Rows per GetStatementResult page: small enough that the SDK pages on TPC-H tables. */
export const resultPageRows = 1000;

class ApiError extends Error {
	readonly status: number;
	readonly type: string;
	readonly extra: Record<string, unknown>;

	constructor(status: number, type: string, message: string, extra: Record<string, unknown> = {}) {
		super(message);
		this.status = status;
		this.type = type;
		this.extra = extra;
	}
}

const validation = (message: string) => new ApiError(400, 'ValidationException', message);

function requireString(body: Record<string, unknown>, name: string): string {
	const value = body[name];
	if (typeof value !== 'string' || value === '') {
		throw validation(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
	}

	return value;
}

function epochSeconds(milliseconds: number): number {
	return milliseconds / 1000;
}

/** Data API typed fields: integers as longValue, floats as doubleValue, DECIMAL/dates/text as stringValue. */
function fieldOf(column: StoredColumn, text: string | null): Record<string, unknown> {
	if (text === null) {
		return {isNull: true};
	}

	switch (column.typeName) {
		case 'int2':
		case 'int4':
		case 'int8': {
			return {longValue: Number(text)};
		}

		case 'float4':
		case 'float8': {
			return {doubleValue: Number(text)};
		}

		case 'bool': {
			return {booleanValue: text === 't'};
		}

		default: {
			return {stringValue: text};
		}
	}
}

export function createDataApiServer(options: DataApiServerOptions): {server: http.Server; injectFault(fault: FaultInjection): void} {
	const {store} = options;
	const faults = createFaultPoint();

	async function runStatement(statement: StoredStatement, sql: string): Promise<void> {
		await options.serialise(async () => {
			const current = store.get(statement.id);
			if (!current || current.cancelRequested) {
				return;
			}

			const startedAt = Date.now();
			await store.save({...current, status: 'STARTED', startedAt, updatedAt: startedAt});
			let update: Partial<StoredStatement>;
			try {
				if (statement.database !== options.databaseName) {
					throw new Error(`database "${statement.database}" does not exist`);
				}

				if (isUnloadStatement(sql)) {
					const rows = await runUnload(parseUnload(sql), {db: options.db, ...options.unload});
					update = {status: 'FINISHED', hasResultSet: false, resultRows: rows};
				} else {
					const result = await runSql(options.db, sql);
					const hasResultSet = result.fields.length > 0;
					if (hasResultSet) {
						const columns: StoredColumn[] = result.fields.map(field => {
							const typeName = typeNameOfOid(field.dataTypeID);
							const {precision, scale} = precisionAndScale(typeName, field.dataTypeModifier);
							return {name: field.name, typeName, precision, scale, length: 0, nullable: 1, tableName: '', schemaName: ''};
						});
						const stored: StoredResult = {columns, rows: result.rows};
						await store.saveResult(statement.id, stored);
						update = {status: 'FINISHED', hasResultSet: true, resultRows: result.rows.length, resultSize: JSON.stringify(result.rows).length};
					} else {
						update = {status: 'FINISHED', hasResultSet: false, resultRows: rowsOfCommandTag(result.commandTag)};
					}
				}
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				update = {status: 'FAILED', error: `ERROR: ${message}`};
			}

			const finishedAt = Date.now();
			const latest = store.get(statement.id) ?? current;
			const aborted = latest.cancelRequested && update.status === 'FINISHED';
			await store.save({
				...latest,
				...update,
				...(aborted ? {status: 'ABORTED', error: 'Query was cancelled by the user.', hasResultSet: false} : {}),
				updatedAt: finishedAt,
				durationNs: (finishedAt - startedAt) * 1e6,
			});
		});
	}

	async function executeStatement(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const sql = requireString(body, 'Sql');
		const clusterIdentifier = typeof body.ClusterIdentifier === 'string' ? body.ClusterIdentifier : undefined;
		const workgroupName = typeof body.WorkgroupName === 'string' ? body.WorkgroupName : undefined;
		if (!clusterIdentifier && !workgroupName) {
			throw validation('Either ClusterIdentifier or WorkgroupName must be specified.');
		}

		if (clusterIdentifier && workgroupName) {
			throw validation('ClusterIdentifier and WorkgroupName cannot both be specified.');
		}

		const database = requireString(body, 'Database');
		const dbUser = typeof body.DbUser === 'string' ? body.DbUser : undefined;
		const secretArn = typeof body.SecretArn === 'string' ? body.SecretArn : undefined;
		if (clusterIdentifier && !dbUser && !secretArn) {
			throw validation('Either DbUser or SecretArn must be specified when ClusterIdentifier is used.');
		}

		if (workgroupName && dbUser) {
			throw validation('DbUser is not supported for serverless workgroups; use SecretArn or IAM credentials.');
		}

		const clientToken = typeof body.ClientToken === 'string' ? body.ClientToken : undefined;
		const earlier = clientToken ? store.findByClientToken(clientToken) : undefined;
		const now = Date.now();
		const statement: StoredStatement = earlier ?? {
			id: randomUUID(),
			queryString: maskUnloadCredentials(sql),
			status: 'SUBMITTED',
			createdAt: now,
			updatedAt: now,
			durationNs: -1,
			hasResultSet: false,
			resultRows: -1,
			resultSize: -1,
			redshiftQueryId: store.nextQueryId(),
			redshiftPid: process.pid,
			database,
			clusterIdentifier,
			workgroupName,
			dbUser,
			secretArn,
			clientToken,
		};
		if (!earlier) {
			await store.save(statement);
			void runStatement(statement, sql);
		}

		return {
			Id: statement.id,
			CreatedAt: epochSeconds(statement.createdAt),
			Database: statement.database,
			...(statement.clusterIdentifier ? {ClusterIdentifier: statement.clusterIdentifier} : {}),
			...(statement.workgroupName ? {WorkgroupName: statement.workgroupName} : {}),
			...(statement.dbUser ? {DbUser: statement.dbUser} : {}),
			...(statement.secretArn ? {SecretArn: statement.secretArn} : {}),
		};
	}

	function findStatement(body: Record<string, unknown>): StoredStatement {
		const id = requireString(body, 'Id');
		const statement = store.get(id);
		if (!statement) {
			throw new ApiError(400, 'ResourceNotFoundException', 'Query does not exist.', {ResourceId: id});
		}

		return statement;
	}

	function describeStatement(body: Record<string, unknown>): Record<string, unknown> {
		const statement = findStatement(body);
		return {
			Id: statement.id,
			Status: statement.status,
			QueryString: statement.queryString,
			CreatedAt: epochSeconds(statement.createdAt),
			UpdatedAt: epochSeconds(statement.updatedAt),
			Duration: statement.durationNs,
			HasResultSet: statement.hasResultSet,
			ResultRows: statement.resultRows,
			ResultSize: statement.resultSize,
			RedshiftQueryId: statement.redshiftQueryId,
			RedshiftPid: statement.redshiftPid,
			Database: statement.database,
			...(statement.error ? {Error: statement.error} : {}),
			...(statement.clusterIdentifier ? {ClusterIdentifier: statement.clusterIdentifier} : {}),
			...(statement.workgroupName ? {WorkgroupName: statement.workgroupName} : {}),
			...(statement.dbUser ? {DbUser: statement.dbUser} : {}),
			...(statement.secretArn ? {SecretArn: statement.secretArn} : {}),
		};
	}

	async function getStatementResult(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const statement = findStatement(body);
		if (statement.status !== 'FINISHED') {
			throw validation(`Query has not completed yet or failed. Current status is ${statement.status}.`);
		}

		const result = statement.hasResultSet ? await store.readResult(statement.id) : undefined;
		if (!result) {
			throw new ApiError(400, 'ResourceNotFoundException', 'Query does not have result. Please check query status with DescribeStatement.', {ResourceId: statement.id});
		}

		let offset = 0;
		if (typeof body.NextToken === 'string' && body.NextToken !== '') {
			const decoded = /^(.+):(\d+)$/.exec(Buffer.from(body.NextToken, 'base64').toString('utf8'));
			if (!decoded || decoded[1] !== statement.id) {
				throw validation('Invalid NextToken.');
			}

			offset = Number(decoded[2]);
		}

		const page = result.rows.slice(offset, offset + resultPageRows);
		const nextOffset = offset + page.length;
		return {
			Records: page.map(row => row.map((text, index) => fieldOf(result.columns[index]!, text))),
			ColumnMetadata: result.columns.map(column => ({
				name: column.name, label: column.name, typeName: column.typeName, precision: column.precision, scale: column.scale,
				length: column.length, nullable: column.nullable, isCaseSensitive: column.typeName === 'varchar' || column.typeName === 'bpchar',
				isCurrency: false, isSigned: ['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(column.typeName),
				schemaName: column.schemaName, tableName: column.tableName,
			})),
			TotalNumRows: result.rows.length,
			...(nextOffset < result.rows.length ? {NextToken: Buffer.from(`${statement.id}:${nextOffset}`).toString('base64')} : {}),
		};
	}

	async function cancelStatement(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const statement = findStatement(body);
		if (statement.status === 'FINISHED' || statement.status === 'FAILED' || statement.status === 'ABORTED') {
			throw validation(`Could not cancel a query that is already in ${statement.status} state with ID: ${statement.id}`);
		}

		// PGlite cannot interrupt a running query: a queued one never starts, a running one is discarded when it ends.
		await store.save({
			...statement,
			cancelRequested: true,
			...(statement.status === 'STARTED' ? {} : {status: 'ABORTED', error: 'Query was cancelled by the user.'}),
			updatedAt: Date.now(),
		});
		return {Status: true};
	}

	const operations: Record<string, (body: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>> = {
		ExecuteStatement: executeStatement,
		DescribeStatement: describeStatement,
		GetStatementResult: getStatementResult,
		CancelStatement: cancelStatement,
	};

	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			void (async () => {
				const requestId = randomUUID();
				const send = (status: number, payload: Record<string, unknown>) => {
					const text = JSON.stringify(payload);
					response.writeHead(status, {
						'content-type': 'application/x-amz-json-1.1',
						'content-length': Buffer.byteLength(text),
						'x-amzn-requestid': requestId,
					});
					response.end(text);
				};

				try {
					const fault = await faults.apply(request);
					if (fault?.type === 'reset') {
						return;
					}

					if (fault) {
						throw new ApiError(fault.status, fault.code, `Injected fault: ${fault.code}`);
					}

					const body = Buffer.concat(chunks);
					const verified = await verifySigV4(request, {
						service: 'redshift-data',
						region: options.region,
						body,
						lookupSecret: accessKeyId => accessKeyId === options.credentials.accessKeyId ? options.credentials.secret : undefined,
					});
					if (!verified.ok) {
						const type = verified.reason === 'unknown-key' ? 'UnrecognizedClientException' : verified.reason === 'missing' ? 'MissingAuthenticationTokenException' : 'InvalidSignatureException';
						const message = verified.reason === 'unknown-key'
							? 'The security token included in the request is invalid.'
							: verified.reason === 'bad-signature'
								? 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
								: verified.message;
						throw new ApiError(403, type, message);
					}

					const target = String(request.headers['x-amz-target'] ?? '');
					const operation = target.startsWith('RedshiftData.') ? operations[target.slice('RedshiftData.'.length)] : undefined;
					if (request.method !== 'POST' || !operation) {
						throw new ApiError(400, 'UnknownOperationException', `Unknown operation ${target}`);
					}

					let parsed: unknown;
					try {
						parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
					} catch {
						throw new ApiError(400, 'SerializationException', 'Malformed JSON in the request body');
					}

					send(200, await operation(parsed as Record<string, unknown>));
				} catch (error) {
					if (error instanceof ApiError) {
						send(error.status, {__type: error.type, message: error.message, ...error.extra});
					} else {
						send(500, {__type: 'InternalServerException', message: error instanceof Error ? error.message : String(error)});
					}
				}
			})();
		});
	});
	// Longer than the clients' idle-socket timeouts, so a client never reuses a socket the server is closing.
	server.keepAliveTimeout = 30_000;

	return {
		server,
		injectFault(fault) {
			faults.inject(fault);
		},
	};
}
