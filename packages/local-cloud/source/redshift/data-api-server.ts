import {randomUUID} from 'node:crypto';
import http from 'node:http';
import {precisionAndScale, typeNameOfOid} from 'ferry/clouds/redshift/postgres-types';
import type {FaultInjection} from '../contract.js';
import {createFaultPoint} from '../faults.js';
import {verifySigV4} from '../sigv4.js';
import {StandInError} from '../stand-in-kit.js';
import {describeTable, listDatabases, listSchemas, listTables, type CatalogQuery} from './data-api-catalog.js';
import {
	checkClusterIdentifier, constraintError, optionalString, page, pageSize, requireStatementId, requireString, validation,
} from './data-api-errors.js';
import type {SharedBackend} from './sessions.js';
import {quoteLiteral} from 'ferry/clouds/redshift/sql-text';
import {tokenizeSql} from './sql-text.js';
import {runSql, rowsOfCommandTag} from './sql-runner.js';
import {runStatement, type Pipeline} from './statement-pipeline.js';
import {
	StatementStore, type StoredColumn, type StoredResult, type StoredStatement, type StoredStatus, type StoredSubStatement,
} from './statement-store.js';
import {maskUnloadCredentials} from './unload-command.js';

export type DataApiServerOptions = {
	backend: SharedBackend;
	pipeline: Pipeline;
	store: StatementStore;
	region: string;
	credentials: {accessKeyId: string; secret: string};
	databaseName: string;
	/** The one provisioned cluster; any other ClusterIdentifier is refused like an unknown cluster. */
	clusterIdentifier: string;
	/** The database user statements run as (Redshift's master user). */
	masterUser: string;
};

/** Rows per GetStatementResult page: small enough that the SDK pages on TPC-H tables. */
export const resultPageRows = 1000;

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

type Target = {database: string; clusterIdentifier?: string; workgroupName?: string; dbUser?: string; secretArn?: string};

/** Named parameters (`:name`) as literals: the Data API sends values as text and Redshift converts them implicitly. */
export function applyParameters(sql: string, parameters: Array<{name: string; value: string}>): string {
	if (parameters.length === 0) {
		return sql;
	}

	const values = new Map(parameters.map(parameter => [parameter.name, parameter.value]));
	return tokenizeSql(sql).map(token => {
		const value = token.kind === 'parameter' && token.text.startsWith(':') ? values.get(token.text.slice(1)) : undefined;
		return value === undefined ? token.text : quoteLiteral(value);
	}).join('');
}

function readParameters(body: Record<string, unknown>): Array<{name: string; value: string}> | undefined {
	const list = body['Parameters'];
	if (list === undefined || list === null) {
		return undefined;
	}

	if (!Array.isArray(list) || list.length === 0) {
		throw constraintError('Parameters', list, 'Member must have length greater than or equal to 1');
	}

	return list.map((entry: unknown) => {
		const {name, value} = (entry ?? {}) as {name?: unknown; value?: unknown};
		if (typeof name !== 'string' || !/^[0-9a-zA-Z_]+$/.test(name)) {
			throw constraintError('Parameters.member.name', name, 'Member must satisfy regular expression pattern: ^[0-9a-zA-Z_]+$');
		}

		if (typeof value !== 'string' || value === '') {
			throw constraintError('Parameters.member.value', value, 'Member must have length greater than or equal to 1');
		}

		return {name, value};
	});
}

const finalStatuses = new Set<StoredStatus>(['FINISHED', 'FAILED', 'ABORTED']);

export function createDataApiServer(options: DataApiServerOptions): {server: http.Server; injectFault(fault: FaultInjection): void} {
	const {store} = options;
	const faults = createFaultPoint();

	/** Where a statement runs: the cluster and database, and who as (DbUser, a secret, or the caller's IAM identity). */
	function readTarget(body: Record<string, unknown>): Target {
		const clusterIdentifier = optionalString(body, 'ClusterIdentifier');
		const workgroupName = optionalString(body, 'WorkgroupName');
		if (!clusterIdentifier && !workgroupName) {
			throw validation('Either ClusterIdentifier or WorkgroupName must be specified.');
		}

		if (clusterIdentifier && workgroupName) {
			throw validation('ClusterIdentifier and WorkgroupName cannot both be specified.');
		}

		const dbUser = optionalString(body, 'DbUser');
		if (workgroupName && dbUser) {
			throw validation('DbUser is not supported for serverless workgroups; use SecretArn or IAM credentials.');
		}

		if (clusterIdentifier) {
			checkClusterIdentifier(clusterIdentifier);
			if (clusterIdentifier !== options.clusterIdentifier) {
				throw validation('Redshift endpoint doesn\'t exist in this region.');
			}
		}

		// Neither DbUser nor SecretArn: the IAM-identity mode (GetClusterCredentialsWithIAM / serverless GetCredentials).
		return {database: requireString(body, 'Database'), clusterIdentifier, workgroupName, dbUser, secretArn: optionalString(body, 'SecretArn')};
	}

	/** A session of its own for one Data API call, closed (rolled back, temporary objects dropped) afterwards. */
	async function inSession<T>(work: () => Promise<T>): Promise<T> {
		const session = options.backend.open({user: options.masterUser});
		try {
			return await session.turn(work);
		} finally {
			await session.close();
		}
	}

	const catalogQuery: CatalogQuery = async sql => inSession(async () => (await runSql(options.pipeline.db, sql)).rows);

	/** Runs one SQL and stores its result under `resultId`; the fields a (sub-)statement records. */
	async function runOne(resultId: string, sql: string, database: string): Promise<Partial<StoredSubStatement>> {
		if (database !== options.databaseName) {
			throw new Error(`database "${database}" does not exist`);
		}

		const outcome = await runStatement(options.pipeline, sql);
		if (outcome.kind === 'unload') {
			return {status: 'FINISHED', hasResultSet: false, resultRows: outcome.rows};
		}

		if (outcome.kind === 'command') {
			return {status: 'FINISHED', hasResultSet: false, resultRows: rowsOfCommandTag(outcome.commandTag)};
		}

		const columns: StoredColumn[] = outcome.result.fields.map(field => {
			const typeName = typeNameOfOid(field.dataTypeID);
			const {precision, scale} = precisionAndScale(typeName, field.dataTypeModifier);
			return {name: field.name, typeName, precision, scale, length: 0, nullable: 1, tableName: '', schemaName: ''};
		});
		const stored: StoredResult = {columns, rows: outcome.result.rows};
		await store.saveResult(resultId, stored);
		return {status: 'FINISHED', hasResultSet: true, resultRows: stored.rows.length, resultSize: JSON.stringify(stored.rows).length};
	}

	const errorText = (error: unknown) => `ERROR: ${error instanceof Error ? error.message : String(error)}`;

	async function finish(statementId: string, startedAt: number, update: Partial<StoredStatement>): Promise<void> {
		const finishedAt = Date.now();
		const latest = store.get(statementId)!;
		const aborted = latest.cancelRequested && update.status === 'FINISHED';
		await store.save({
			...latest,
			...update,
			...(aborted ? {status: 'ABORTED', error: 'Query was cancelled by the user.', hasResultSet: false} : {}),
			updatedAt: finishedAt,
			durationNs: (finishedAt - startedAt) * 1e6,
		});
	}

	async function runStatementInSession(statement: StoredStatement, sql: string): Promise<void> {
		await inSession(async () => {
			const current = store.get(statement.id);
			if (!current || current.cancelRequested) {
				return;
			}

			const startedAt = Date.now();
			await store.save({...current, status: 'STARTED', startedAt, updatedAt: startedAt});
			let update: Partial<StoredStatement>;
			try {
				update = await runOne(statement.id, sql, statement.database);
			} catch (error) {
				update = {status: 'FAILED', error: errorText(error)};
			}

			await finish(statement.id, startedAt, update);
		});
	}

	/** BatchExecuteStatement: the SQLs run in order in one transaction; the first failure rolls all of them back. */
	async function runBatchInSession(statement: StoredStatement, sqls: string[]): Promise<void> {
		await inSession(async () => {
			const current = store.get(statement.id);
			if (!current || current.cancelRequested) {
				return;
			}

			const startedAt = Date.now();
			const subs = [...current.subStatements!];
			await store.save({...current, status: 'STARTED', startedAt, updatedAt: startedAt});
			let failure: string | undefined;
			await runSql(options.pipeline.db, 'begin');
			for (const [index, sql] of sqls.entries()) {
				const sub = subs[index]!;
				if (failure !== undefined) {
					subs[index] = {...sub, status: 'ABORTED', updatedAt: Date.now()};
					continue;
				}

				const subStarted = Date.now();
				try {
					subs[index] = {...sub, ...await runOne(sub.id, sql, statement.database), updatedAt: Date.now(), durationNs: (Date.now() - subStarted) * 1e6};
				} catch (error) {
					failure = errorText(error);
					subs[index] = {...sub, status: 'FAILED', error: failure, updatedAt: Date.now(), durationNs: (Date.now() - subStarted) * 1e6};
				}
			}

			await runSql(options.pipeline.db, failure === undefined ? 'commit' : 'rollback');
			await finish(statement.id, startedAt, {
				status: failure === undefined ? 'FINISHED' : 'FAILED',
				...(failure === undefined ? {} : {error: failure}),
				subStatements: subs,
				hasResultSet: subs.some(sub => sub.hasResultSet),
			});
		});
	}

	function newStatement(body: Record<string, unknown>, queryString: string): StoredStatement {
		const target = readTarget(body);
		const statementName = optionalString(body, 'StatementName');
		if (statementName !== undefined && statementName.length > 500) {
			throw constraintError('StatementName', statementName, 'Member must have length less than or equal to 500');
		}

		const now = Date.now();
		return {
			id: randomUUID(),
			queryString,
			status: 'SUBMITTED',
			createdAt: now,
			updatedAt: now,
			durationNs: -1,
			hasResultSet: false,
			resultRows: -1,
			resultSize: -1,
			redshiftQueryId: store.nextQueryId(),
			redshiftPid: process.pid,
			...target,
			clientToken: optionalString(body, 'ClientToken'),
			...(statementName === undefined ? {} : {statementName}),
		};
	}

	function submitted(statement: StoredStatement): Record<string, unknown> {
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

	async function executeStatement(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const sql = requireString(body, 'Sql');
		const parameters = readParameters(body);
		const clientToken = optionalString(body, 'ClientToken');
		const earlier = clientToken ? store.findByClientToken(clientToken) : undefined;
		if (earlier) {
			return submitted(earlier);
		}

		const statement: StoredStatement = {...newStatement(body, maskUnloadCredentials(sql)), ...(parameters ? {queryParameters: parameters} : {})};
		await store.save(statement);
		void runStatementInSession(statement, applyParameters(sql, parameters ?? [])).catch(() => undefined);
		return submitted(statement);
	}

	async function batchExecuteStatement(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const sqls = body['Sqls'];
		if (!Array.isArray(sqls) || sqls.length === 0 || sqls.length > 40 || !sqls.every(sql => typeof sql === 'string')) {
			throw constraintError('Sqls', Array.isArray(sqls) ? `[${sqls.join(', ')}]` : sqls, 'Member must have length less than or equal to 40, Member must have length greater than or equal to 1');
		}

		const clientToken = optionalString(body, 'ClientToken');
		const earlier = clientToken ? store.findByClientToken(clientToken) : undefined;
		if (earlier) {
			return submitted(earlier);
		}

		const base = newStatement(body, '');
		const statement: StoredStatement = {
			...base,
			subStatements: (sqls as string[]).map((sql, index) => ({
				id: `${base.id}:${index + 1}`, queryString: maskUnloadCredentials(sql), status: 'SUBMITTED', createdAt: base.createdAt,
				updatedAt: base.createdAt, durationNs: -1, hasResultSet: false, resultRows: -1, resultSize: -1,
				redshiftQueryId: index === 0 ? base.redshiftQueryId : store.nextQueryId(),
			})),
		};
		await store.save(statement);
		void runBatchInSession(statement, sqls as string[]).catch(() => undefined);
		return submitted(statement);
	}

	/** A statement by id; `uuid:n` is the n-th SQL of a batch. A malformed id is a ValidationException. */
	function findStatement(body: Record<string, unknown>): {statement: StoredStatement; sub?: StoredSubStatement} {
		const id = requireStatementId(body);
		const [baseId, suffix] = id.split(':');
		const statement = store.get(baseId!);
		const sub = suffix === undefined ? undefined : statement?.subStatements?.[Number(suffix) - 1];
		if (!statement || (suffix !== undefined && !sub)) {
			throw new StandInError(400, 'ResourceNotFoundException', 'Query does not exist.', {ResourceId: id});
		}

		return {statement, ...(sub ? {sub} : {})};
	}

	function describeSub(sub: StoredSubStatement): Record<string, unknown> {
		return {
			Id: sub.id, Status: sub.status, QueryString: sub.queryString, CreatedAt: epochSeconds(sub.createdAt), UpdatedAt: epochSeconds(sub.updatedAt),
			Duration: sub.durationNs, HasResultSet: sub.hasResultSet, ResultRows: sub.resultRows, ResultSize: sub.resultSize,
			RedshiftQueryId: sub.redshiftQueryId, ...(sub.error ? {Error: sub.error} : {}),
		};
	}

	function describeStatement(body: Record<string, unknown>): Record<string, unknown> {
		const {statement, sub} = findStatement(body);
		return {
			Id: statement.id,
			Status: statement.status,
			...(statement.subStatements ? {} : {QueryString: statement.queryString}),
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
			...(statement.queryParameters ? {QueryParameters: statement.queryParameters} : {}),
			...(statement.subStatements ? {SubStatements: statement.subStatements.map(item => describeSub(item))} : {}),
			...(sub ? describeSub(sub) : {}),
		};
	}

	async function getStatementResult(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const {statement, sub} = findStatement(body);
		const holder = sub ?? statement;
		if (holder.status !== 'FINISHED') {
			throw validation(`Query has not completed yet or failed. Current status is ${holder.status}.`);
		}

		const result = holder.hasResultSet && !(statement.subStatements && !sub) ? await store.readResult(holder.id) : undefined;
		if (!result) {
			throw new StandInError(400, 'ResourceNotFoundException', 'Query does not have result. Please check query status with DescribeStatement.', {ResourceId: holder.id});
		}

		const {items, nextToken} = page(result.rows, body, holder.id, resultPageRows);
		return {
			Records: items.map(row => row.map((text, index) => fieldOf(result.columns[index]!, text))),
			ColumnMetadata: result.columns.map(column => ({
				name: column.name, label: column.name, typeName: column.typeName, precision: column.precision, scale: column.scale,
				length: column.length, nullable: column.nullable, isCaseSensitive: column.typeName === 'varchar' || column.typeName === 'bpchar',
				isCurrency: false, isSigned: ['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(column.typeName),
				schemaName: column.schemaName, tableName: column.tableName,
			})),
			TotalNumRows: result.rows.length,
			...(nextToken ? {NextToken: nextToken} : {}),
		};
	}

	async function cancelStatement(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const {statement} = findStatement(body);
		if (finalStatuses.has(statement.status)) {
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

	/** ListStatements: newest first; only FINISHED ones unless Status says otherwise (ALL for every status). */
	function listStatements(body: Record<string, unknown>): Record<string, unknown> {
		const status = optionalString(body, 'Status') ?? 'FINISHED';
		if (!['SUBMITTED', 'PICKED', 'STARTED', 'FINISHED', 'ABORTED', 'FAILED', 'ALL'].includes(status)) {
			throw constraintError('Status', status, 'Member must satisfy enum value set: [SUBMITTED, PICKED, STARTED, FINISHED, ABORTED, FAILED, ALL]');
		}

		const name = optionalString(body, 'StatementName');
		const cluster = optionalString(body, 'ClusterIdentifier');
		const workgroup = optionalString(body, 'WorkgroupName');
		const database = optionalString(body, 'Database');
		const matching = store.all()
			.filter(statement => (status === 'ALL' || statement.status === status)
				&& (name === undefined || (statement.statementName ?? '').startsWith(name))
				&& (cluster === undefined || statement.clusterIdentifier === cluster)
				&& (workgroup === undefined || statement.workgroupName === workgroup)
				&& (database === undefined || statement.database === database))
			.sort((a, b) => b.createdAt - a.createdAt || b.redshiftQueryId - a.redshiftQueryId);
		const scope = `statements:${status}:${name ?? ''}:${cluster ?? ''}:${workgroup ?? ''}:${database ?? ''}`;
		const {items, nextToken} = page(matching, body, scope, pageSize(body, 100, 100));
		return {
			Statements: items.map(statement => ({
				Id: statement.id,
				CreatedAt: epochSeconds(statement.createdAt),
				UpdatedAt: epochSeconds(statement.updatedAt),
				Status: statement.status,
				IsBatchStatement: statement.subStatements !== undefined,
				...(statement.subStatements ? {QueryStrings: statement.subStatements.map(sub => sub.queryString)} : {QueryString: statement.queryString}),
				...(statement.statementName ? {StatementName: statement.statementName} : {}),
				...(statement.secretArn ? {SecretArn: statement.secretArn} : {}),
				...(statement.queryParameters ? {QueryParameters: statement.queryParameters} : {}),
			})),
			...(nextToken ? {NextToken: nextToken} : {}),
		};
	}

	/** The catalog operations connect like a statement does: same target rules, and the database must exist. */
	const withTarget = (operation: (body: Record<string, unknown>) => Promise<Record<string, unknown>>) => async (body: Record<string, unknown>) => {
		const target = readTarget(body);
		const database = optionalString(body, 'ConnectedDatabase') ?? target.database;
		if (database !== options.databaseName || target.database !== options.databaseName) {
			throw new StandInError(500, 'DatabaseConnectionException', `FATAL: database "${database === options.databaseName ? target.database : database}" does not exist`);
		}

		return operation(body);
	};

	const operations: Record<string, (body: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>> = {
		ExecuteStatement: executeStatement,
		BatchExecuteStatement: batchExecuteStatement,
		DescribeStatement: describeStatement,
		GetStatementResult: getStatementResult,
		CancelStatement: cancelStatement,
		ListStatements: listStatements,
		ListDatabases: withTarget(async body => listDatabases(body, options.databaseName)),
		ListSchemas: withTarget(async body => listSchemas(body, catalogQuery)),
		ListTables: withTarget(async body => listTables(body, catalogQuery)),
		DescribeTable: withTarget(async body => describeTable(body, catalogQuery)),
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
						throw new StandInError(fault.status, fault.code, `Injected fault: ${fault.code}`);
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
						throw new StandInError(403, type, message);
					}

					const target = String(request.headers['x-amz-target'] ?? '');
					const operation = target.startsWith('RedshiftData.') ? operations[target.slice('RedshiftData.'.length)] : undefined;
					if (request.method !== 'POST' || !operation) {
						throw new StandInError(400, 'UnknownOperationException', `Unknown operation ${target}`);
					}

					let parsed: unknown;
					try {
						parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
					} catch {
						throw new StandInError(400, 'SerializationException', 'Malformed JSON in the request body');
					}

					send(200, await operation(parsed as Record<string, unknown>));
				} catch (error) {
					if (error instanceof StandInError) {
						send(error.status, {__type: error.code, message: error.message, ...error.extra});
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
