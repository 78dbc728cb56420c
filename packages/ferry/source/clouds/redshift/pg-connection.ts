import pg from 'pg';
import {FerryError, ServiceError, exitCodes} from '../../engine/errors.js';
import type {Logger} from '../../log/logger.js';
import {silentLogger} from '../../log/logger.js';
import {registerSecret} from '../../log/redact.js';
import type {CallOptions, QueryResult, RedshiftConnection, StatementDescription} from './connection.js';
import {whoamiThrough} from './connection.js';
import {precisionAndScale, typeNameOfOid, valueFromText} from './postgres-types.js';

export type PgConnectionOptions = {
	host: string;
	/** @default 5439, Redshift's port */
	port?: number;
	database: string;
	user: string;
	password: string;
	/**
	 * TLS to the cluster. Redshift requires it for temporary credentials (node-postgres #1528), so it is on for every
	 * host except loopback, where the local stand-in's wire front speaks plain TCP only.
	 */
	tls?: boolean;
	/** @default 10000 */
	connectTimeoutMs?: number;
	/** Client-side limit per statement; 0 for none. @default 0 */
	statementTimeoutMs?: number;
	logger?: Logger;
};

const service = 'redshift-pg';

function isLoopback(host: string): boolean {
	return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

/** Every value arrives as PostgreSQL text, so DECIMAL and dates stay exact. */
const rawText = {getTypeParser: () => (value: string) => value};

function toServiceError(error: unknown): unknown {
	if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code?.startsWith('E')) {
		return error;
	}

	const code = (error as {code?: string}).code;
	if (code === undefined) {
		return error;
	}

	// SQLSTATE class 28 is "invalid authorization specification".
	const auth = code.startsWith('28');
	return new ServiceError('Redshift', error.message, {code, auth, cause: error});
}

/**
 * Redshift over the PostgreSQL wire protocol with `pg`. Connection options stay minimal (no application_name, no
 * client_min_messages) because Redshift rejects several of them. Statements use the simple query protocol.
 */
export function createPgConnection(options: PgConnectionOptions): RedshiftConnection {
	registerSecret(options.password);
	const logger = options.logger ?? silentLogger;
	const tls = options.tls ?? !isLoopback(options.host);
	const client = new pg.Client({
		host: options.host,
		port: options.port ?? 5439,
		database: options.database,
		user: options.user,
		password: options.password,
		ssl: tls ? {rejectUnauthorized: true} : false,
		connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
		query_timeout: options.statementTimeoutMs || undefined,
	});
	let connected: Promise<void> | undefined;

	async function ensureConnected(): Promise<void> {
		connected ??= (async () => {
			const started = performance.now();
			try {
				await client.connect();
				logger.request({service, operation: 'Connect', durationMs: performance.now() - started});
			} catch (error) {
				logger.request({service, operation: 'Connect', durationMs: performance.now() - started, error: error instanceof Error ? error.message : String(error)});
				throw toServiceError(error);
			}
		})();
		return connected;
	}

	async function run(sql: string, callOptions: CallOptions = {}): Promise<QueryResult> {
		callOptions.signal?.throwIfAborted();
		await ensureConnected();
		const onAbort = () => {
			// PGlite and pooled proxies ignore CancelRequest; closing the connection is the one stop that always works.
			void client.end();
		};

		callOptions.signal?.addEventListener('abort', onAbort, {once: true});
		const started = performance.now();
		try {
			// A direct connection gives a statement no id of its own.
			logger.statement({service, text: sql});
			const result = await client.query({text: sql, rowMode: 'array', types: rawText});
			logger.request({service, operation: 'Query', status: result.command, durationMs: performance.now() - started});
			const last = Array.isArray(result) ? (result.at(-1) as pg.QueryArrayResult) : result;
			const columns = (last.fields ?? []).map(field => {
				const typeName = typeNameOfOid(field.dataTypeID);
				return {name: field.name, typeName, ...precisionAndScale(typeName, field.dataTypeModifier)};
			});
			const rows = (last.rows as Array<Array<string | null>>).map(row => row.map((text, index) => valueFromText(columns[index]?.typeName ?? '', text)));
			return {columns, rows};
		} catch (error) {
			callOptions.signal?.throwIfAborted();
			logger.request({service, operation: 'Query', durationMs: performance.now() - started, error: (error as {code?: string}).code ?? 'error'});
			throw toServiceError(error);
		} finally {
			callOptions.signal?.removeEventListener('abort', onAbort);
		}
	}

	const noStatementIds = () => new FerryError('A direct (pg) Redshift connection runs statements synchronously and has no statement ids', exitCodes.stepFailed);

	const connection: RedshiftConnection = {
		kind: 'pg',
		async execute(sql, callOptions) {
			await run(sql, callOptions);
			return {};
		},
		async waitFor(): Promise<StatementDescription> {
			throw noStatementIds();
		},
		query: run,
		async cancel() {
			throw noStatementIds();
		},
		whoami: callOptions => whoamiThrough(connection, callOptions),
		async close() {
			if (connected) {
				await client.end().catch(() => undefined);
			}
		},
	};
	return connection;
}
