import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {DuckDBInstance, type DuckDBConnection} from '@duckdb/node-api';
import {Catalog, type TableDefinition} from './catalog.js';
import {positionOf, TokenCursor} from './cursor.js';
import {describeTable, parseCreateTable} from './ddl.js';
import {mapDuckdbError} from './duckdb-errors.js';
import {createInformationSchemaViews, informationSchemaProject, isInformationSchemaView} from './information-schema.js';
import {executeLoad, parseLoad, type OssReader} from './load.js';
import {OdpsError} from './odps-error.js';
import {checkPartitionValue, validPartitionValue} from './names.js';
import {parsePartitionSpec, resolvePartitionSpec} from './partition-spec.js';
import {prepareQuery, supportMacros, type TableReference} from './query.js';
import {renderValue} from './render.js';
import type {EngineResult, ResultColumn} from './result.js';
import {quoteIdentifier, sqlString} from './sql-text.js';
import {asLiteralError, literalValues, stageLiteralRows} from './literal-values.js';
import {isWord, splitStatements, tokenize, type Token} from './tokenizer.js';
import {duckdbType, maxComputeTypeOfDuckdb, parseTypeText, typeSystemFlags} from './types.js';

export type MaxComputeEngineOptions = {
	dataDir: string;
	project: string;
	region: string;
	/** e.g. `ALIYUN$ferry@local` */
	owner: string;
	oss: OssReader;
};

/**
 * What a statement may do, for the account that submitted it: the project's ACL checks each privilege a statement
 * needs (throwing MaxCompute's authorisation error) and answers its security statements. Without one, the caller
 * is the project owner and security statements are refused.
 */
export type StatementAccess = {
	/** The caller as MaxCompute names it, e.g. `RAM$<uid>:<user id>` (WHOAMI). */
	readonly name: string;
	/** A privilege on the project (no table) or on a table; throws an OdpsError when the caller lacks it. */
	check(privilege: string, table?: string): void;
	/** What only the project owner may do (project properties); throws an OdpsError for anyone else. */
	ownerOnly(what: string): void;
	/** ADD USER, REMOVE USER, LIST USERS, GRANT, REVOKE, SHOW GRANTS: the answer's text. */
	security(statement: string): string;
};

export type MaxComputeEngine = {
	/** Runs one statement (leading `set k=v;` statements apply to it). `settings` are the SQL task's settings JSON. */
	execute(sql: string, settings: Record<string, string>, signal?: AbortSignal, access?: StatementAccess): Promise<EngineResult>;
	close(): Promise<void>;
	/** What the REST layer lists and describes; engines made for tests may leave it out (then no table exists). */
	metadata?: EngineMetadata;
};

export type TableStatistics = {definition: TableDefinition; recordCount: number};
export type PartitionStatistics = {values: Array<{name: string; value: string}>; recordCount: number};

export type EngineMetadata = {
	listTables(): Promise<TableDefinition[]>;
	/** Undefined when the table does not exist. */
	describeTable(name: string): Promise<TableStatistics | undefined>;
	/** The partitions that hold rows, sorted by their values; undefined when the table does not exist. */
	listPartitions(name: string): Promise<PartitionStatistics[] | undefined>;
};

const ok: EngineResult = {kind: 'message', text: 'OK'};

export async function openMaxComputeEngine(options: MaxComputeEngineOptions): Promise<MaxComputeEngine> {
	await mkdir(options.dataDir, {recursive: true});
	const instance = await DuckDBInstance.create(path.join(options.dataDir, 'maxcompute.duckdb'));
	const connection = await instance.connect();
	const catalog = new Catalog(connection);
	await catalog.initialise();
	await createInformationSchemaViews(connection, {project: options.project, owner: options.owner});
	for (const macro of supportMacros) await connection.run(macro);
	const session = new EngineSession(connection, catalog, options);

	// One DuckDB connection runs one statement at a time; callers (the REST layer) may submit concurrently.
	let tail: Promise<unknown> = Promise.resolve();
	let closed = false;
	const queued = <T>(work: () => Promise<T>): Promise<T> => {
		const run = tail.then(async () => {
			if (closed) throw new Error('the MaxCompute engine is closed');
			return work();
		});
		tail = run.catch(() => undefined);
		return run;
	};

	const countRows = async (table: TableDefinition, groupBy: string[] = []) => {
		const keys = groupBy.map(name => `CAST(${quoteIdentifier(name)} AS VARCHAR)`);
		const reader = await connection.runAndReadAll(
			`SELECT ${[...keys, 'count(*)'].join(', ')} FROM main.${quoteIdentifier(table.name)}${keys.length > 0 ? ` GROUP BY ALL ORDER BY ALL` : ''}`,
		);
		return reader.getRows();
	};

	const metadata: EngineMetadata = {
		listTables: () => queued(() => catalog.listTables()),
		describeTable: name => queued(async () => {
			const definition = await catalog.getTable(name);
			return definition && {definition, recordCount: Number((await countRows(definition))[0]?.[0] ?? 0)};
		}),
		listPartitions: name => queued(async () => {
			const definition = await catalog.getTable(name);
			if (!definition) return undefined;
			if (definition.partitionColumns.length === 0) return [];
			const names = definition.partitionColumns.map(column => column.name);
			return (await countRows(definition, names)).map(row => ({
				values: names.map((column, index) => ({name: column, value: String(row[index])})),
				recordCount: Number(row[names.length]),
			}));
		}),
	};

	return {
		metadata,
		execute(sql, settings, signal, access) {
			const run = tail.then(async () => {
				if (closed) throw new Error('the MaxCompute engine is closed');
				signal?.throwIfAborted();
				const interrupt = () => connection.interrupt();
				signal?.addEventListener('abort', interrupt, {once: true});
				try {
					return await session.execute(sql, settings, signal, access);
				} catch (error) {
					if (signal?.aborted) throw signal.reason;
					throw error;
				} finally {
					signal?.removeEventListener('abort', interrupt);
				}
			});
			tail = run.catch(() => undefined);
			return run;
		},
		async close() {
			if (closed) return;
			closed = true;
			await tail;
			connection.closeSync();
			instance.closeSync();
		},
	};
}

function sourceText(sql: string, tokens: Token[], from = 0): string {
	const first = tokens[from];
	const last = tokens.at(-1);
	if (first === undefined || last === undefined) return '';
	return sql.slice(first.offset, last.offset + last.text.length);
}

class EngineSession {
	readonly #connection: DuckDBConnection;
	readonly #catalog: Catalog;
	readonly #options: MaxComputeEngineOptions;
	/** The running statement's caller; undefined for the project owner. */
	#access: StatementAccess | undefined;

	constructor(connection: DuckDBConnection, catalog: Catalog, options: MaxComputeEngineOptions) {
		this.#connection = connection;
		this.#catalog = catalog;
		this.#options = options;
	}

	get #project(): string {
		return this.#options.project;
	}

	async execute(sql: string, settings: Record<string, string>, signal?: AbortSignal, access?: StatementAccess): Promise<EngineResult> {
		this.#access = access;
		const statements = splitStatements(tokenize(sql));
		if (statements.length === 0) throw new OdpsError('parse', 'no statement to run', {line: 1, column: 1});
		const sessionFlags: Record<string, string> = {};
		let result: EngineResult = ok;
		for (const tokens of statements) {
			if (isWord(tokens[0], 'set')) {
				const [key, value] = splitAssignment(sourceText(sql, tokens, 1), tokens[0]!);
				sessionFlags[key] = value;
				result = ok;
				continue;
			}

			const flags = {...(await this.#catalog.projectFlags()), ...settings, ...sessionFlags};
			try {
				result = await this.#executeStatement(sql, tokens, flags, signal);
			} catch (error) {
				if (signal?.aborted) throw error;
				throw mapDuckdbError(error, tokens, this.#project);
			}
		}

		return result;
	}

	async #executeStatement(sql: string, tokens: Token[], flags: Record<string, string>, signal?: AbortSignal): Promise<EngineResult> {
		const cursor = new TokenCursor(tokens);
		const keyword = cursor.current?.kind === 'word' ? cursor.current.value : undefined;
		if (isSecurityStatement(tokens)) {
			if (!this.#access) {
				throw new OdpsError('parse', 'security statements are answered by the project ACL, which this engine was started without', positionOf(tokens[0]!));
			}

			return {kind: 'message', text: this.#access.security(sourceText(sql, tokens))};
		}

		switch (keyword) {
			case 'setproject':
				this.#access?.ownerOnly('SETPROJECT');
				return this.#setProject(sourceText(sql, tokens, 1), tokens[0]!);
			case 'create':
				cursor.index++;
				cursor.expectWord('table');
				this.#access?.check('CreateTable');
				return this.#createTable(cursor, flags);
			case 'drop':
				cursor.index++;
				cursor.expectWord('table');
				return this.#dropTable(cursor);
			case 'desc':
			case 'describe':
				cursor.index++;
				cursor.acceptWord('table');
				return this.#describe(cursor);
			case 'show':
				cursor.index++;
				return this.#show(cursor);
			case 'whoami':
				cursor.index++;
				cursor.expectEnd();
				return this.#whoami();
			case 'load': {
				cursor.index++;
				const statement = parseLoad(cursor);
				const table = await this.#requireTable(statement.tableToken);
				// LOAD's limits: the CreateTable permission on the project and Alter on the table (the LOAD page).
				this.#access?.check('CreateTable');
				this.#access?.check('Alter', table.name);
				await executeLoad(statement, {
					connection: this.#connection,
					project: this.#project,
					region: this.#options.region,
					dataDir: this.#options.dataDir,
					oss: this.#options.oss,
					flags,
					table,
					signal,
				});
				await this.#catalog.markModified(table);
				return ok;
			}

			case 'insert':
				cursor.index++;
				return this.#insert(cursor);
			case 'select':
			case 'with':
			case 'values':
				return this.#select(tokens);
			default:
				throw cursor.unexpected('a statement');
		}
	}

	async #setProject(text: string, token: Token): Promise<EngineResult> {
		if (text.trim() === '') {
			const flags = await this.#catalog.projectFlags();
			return {kind: 'message', text: Object.entries(flags).map(([key, value]) => `${key}=${value}\n`).join('')};
		}

		for (const assignment of text.trim().split(/\s+/)) {
			const [key, value] = splitAssignment(assignment, token);
			await this.#catalog.setProjectFlag(key, value);
		}

		return ok;
	}

	async #createTable(cursor: TokenCursor, flags: Record<string, string>): Promise<EngineResult> {
		const statement = parseCreateTable(cursor, typeSystemFlags(flags));
		const existing = await this.#catalog.getTable(statement.definition.name);
		if (existing !== undefined) {
			if (statement.ifNotExists) return ok;
			throw new OdpsError(
				'tableAlreadyExists',
				`table or view ${this.#project}.${statement.definition.name} is already defined`,
				statement.nameToken,
			);
		}

		await this.#inTransaction(() => this.#catalog.createTable(statement.definition));
		return ok;
	}

	async #dropTable(cursor: TokenCursor): Promise<EngineResult> {
		let ifExists = false;
		if (cursor.acceptWord('if')) {
			cursor.expectWord('exists');
			ifExists = true;
		}

		const nameToken = this.#tableName(cursor);
		cursor.expectEnd();
		const existing = await this.#catalog.getTable(nameToken.value);
		if (existing === undefined) {
			if (ifExists) return ok;
			throw this.#tableNotFound(nameToken);
		}

		this.#access?.check('Drop', existing.name);
		await this.#inTransaction(() => this.#catalog.dropTable(nameToken.value));
		return ok;
	}

	async #describe(cursor: TokenCursor): Promise<EngineResult> {
		const nameToken = this.#tableName(cursor);
		cursor.expectEnd();
		const table = await this.#requireTable(nameToken);
		this.#access?.check('Describe', table.name);
		const reader = await this.#connection.runAndReadAll(`SELECT count(*) FROM main.${quoteIdentifier(table.name)}`);
		const size = Number(reader.getRows()[0]?.[0] ?? 0);
		return {kind: 'message', text: describeTable(table, this.#options.owner, this.#project, size), table};
	}

	async #show(cursor: TokenCursor): Promise<EngineResult> {
		const what = cursor.expectWord('tables', 'partitions');
		if (what === 'tables') {
			cursor.expectEnd();
			this.#access?.check('List');
			const tables = await this.#catalog.listTables();
			return {kind: 'message', text: tables.map(table => `${this.#options.owner}:${table.name}\n`).join('')};
		}

		const nameToken = this.#tableName(cursor);
		cursor.expectEnd();
		const table = await this.#requireTable(nameToken);
		this.#access?.check('Describe', table.name);
		if (table.partitionColumns.length === 0) {
			// Wording ours (verify).
			throw new OdpsError('semanticAnalysis', `table ${this.#project}.${table.name} is not a partitioned table`, positionOf(nameToken));
		}

		const keys = table.partitionColumns.map(column => quoteIdentifier(column.name));
		const reader = await this.#connection.runAndReadAll(
			`SELECT DISTINCT ${keys.map(key => `CAST(${key} AS VARCHAR)`).join(', ')} FROM main.${quoteIdentifier(table.name)} ORDER BY ALL`,
		);
		const lines = reader.getRows().map(row => table.partitionColumns.map((column, index) => `${column.name}=${String(row[index])}`).join('/'));
		return {kind: 'message', text: lines.map(line => `${line}\n`).join('')};
	}

	/** Shaped like the security command's JSON answer (fields from memory of the service output; verify). */
	#whoami(): EngineResult {
		const text = JSON.stringify(
			{DisplayName: this.#access?.name ?? this.#options.owner, Project: this.#project, Region: this.#options.region, SourceIP: '127.0.0.1', VpcId: ''},
			undefined,
			2,
		);
		return {kind: 'message', text: `${text}\n`};
	}

	async #insert(cursor: TokenCursor): Promise<EngineResult> {
		const overwrite = cursor.expectWord('into', 'overwrite') === 'overwrite';
		if (overwrite) cursor.expectWord('table');
		else cursor.acceptWord('table');
		const tableToken = this.#tableName(cursor);
		const table = await this.#requireTable(tableToken);
		this.#access?.check('Update', table.name);
		const spec = parsePartitionSpec(cursor);
		if (spec === undefined && table.partitionColumns.length > 0) {
			throw new OdpsError(
				'semanticAnalysis',
				`the number of input partition columns (0) doesn't equal to table's partition columns (${table.partitionColumns.length})`,
				positionOf(tableToken),
			);
		}

		const staticValues = resolvePartitionSpec(spec, table, this.#project, tableToken);
		const literal = literalValues(cursor.tokens, cursor.index, cursor.tokens.length);
		if (literal === undefined) {
			const query = await prepareQuery(this.#connection, cursor.tokens, cursor.index, cursor.tokens.length, this.#project);
			await this.#checkTables(query.tables);
			return this.#insertQuery(table, tableToken, staticValues, query.sql, overwrite);
		}

		const staged = await stageLiteralRows(this.#connection, literal, `__odps_values_${Date.now()}`);
		try {
			return await this.#insertQuery(table, tableToken, staticValues, staged.sql, overwrite);
		} catch (error) {
			throw asLiteralError(error);
		} finally {
			await this.#connection.run(`DROP TABLE IF EXISTS ${staged.table}`);
		}
	}

	async #insertQuery(table: TableDefinition, tableToken: Token, staticValues: Map<string, string>, querySql: string, overwrite: boolean): Promise<EngineResult> {
		const query = {sql: querySql};
		const described = await this.#connection.runAndReadAll(`DESCRIBE ${query.sql}`);
		const queryWidth = described.getRows().length;
		const dynamicKeys = table.partitionColumns.filter(column => !staticValues.has(column.name));
		const expected = table.columns.length + dynamicKeys.length;
		if (queryWidth !== expected) {
			// Wording from the DML FAQ ("Table xxx has n columns, but query has m columns").
			throw new OdpsError(
				'semanticAnalysis',
				`Table ${this.#project}.${table.name} has ${expected} columns, but query has ${queryWidth} columns`,
				positionOf(tableToken),
			);
		}

		const names = Array.from({length: queryWidth}, (_, index) => `__c${index}`);
		let dynamicIndex = table.columns.length;
		const expressions = [
			...table.columns.map((column, index) => `CAST(__q.${names[index]} AS ${duckdbType(parseTypeText(column.type))}) AS ${quoteIdentifier(column.name)}`),
			...table.partitionColumns.map(column => {
				const type = duckdbType(parseTypeText(column.type));
				const value = staticValues.get(column.name);
				return `${value === undefined ? `CAST(__q.${names[dynamicIndex++]} AS ${type})` : `CAST(${sqlString(value)} AS ${type})`} AS ${quoteIdentifier(column.name)}`;
			}),
		];
		const target = `main.${quoteIdentifier(table.name)}`;
		const staging = quoteIdentifier(`__odps_insert_${Date.now()}`);
		await this.#inTransaction(async () => {
			await this.#connection.run(`CREATE TEMP TABLE ${staging} AS SELECT ${expressions.join(', ')} FROM (${query.sql}) AS __q(${names.join(', ')})`);
			await this.#checkDynamicPartitionValues(staging, dynamicKeys.map(column => column.name));
			if (overwrite) {
				const keys = table.partitionColumns.map(column => quoteIdentifier(column.name));
				const condition = keys.length === 0 ? 'TRUE' : `(${keys.join(', ')}) IN (SELECT DISTINCT ${keys.join(', ')} FROM ${staging})`;
				await this.#connection.run(`DELETE FROM ${target} WHERE ${condition}`);
			}

			await this.#connection.run(`INSERT INTO ${target} SELECT * FROM ${staging}`);
			await this.#connection.run(`DROP TABLE ${staging}`);
		});
		await this.#catalog.markModified(table);
		return ok;
	}

	/** Each value a dynamic partition would get must be one MaxCompute takes (NULL is not). */
	async #checkDynamicPartitionValues(staging: string, keys: string[]): Promise<void> {
		for (const key of keys) {
			const reader = await this.#connection.runAndReadAll(`SELECT DISTINCT CAST(${quoteIdentifier(key)} AS VARCHAR) FROM ${staging}`);
			const bad = reader.getRows().map(row => row[0]).find(value => value === null || !validPartitionValue(String(value)));
			if (bad !== undefined) checkPartitionValue(key, bad === null ? null : String(bad), undefined, true);
		}
	}

	async #select(tokens: Token[]): Promise<EngineResult> {
		const query = await prepareQuery(this.#connection, tokens, 0, tokens.length, this.#project);
		const tables = await this.#checkTables(query.tables);
		const reader = await this.#connection.runAndReadAll(query.sql);
		const duckTypes = reader.columnTypes().map(type => type.toString());
		const columns: ResultColumn[] = reader.columnNames().map((name, index) => {
			const lowerName = name.toLowerCase();
			let type = maxComputeTypeOfDuckdb(duckTypes[index]!);
			if (type === 'string') {
				// VARCHAR(n)/CHAR(n) columns come back from DuckDB as plain VARCHAR; keep the declared type when unambiguous.
				const declared = tables.flatMap(table => table.columns.concat(table.partitionColumns)).find(column => column.name === lowerName);
				if (declared !== undefined && /^(varchar|char|string)/.test(declared.type)) type = declared.type;
			}

			return {name: lowerName, type};
		});
		const rows = reader.getRows().map(row => row.map((value, index) => renderValue(value, columns[index]!.type)));
		return {kind: 'rows', columns, rows};
	}

	#tableName(cursor: TokenCursor): Token {
		const first = cursor.expectIdentifier();
		if (!cursor.acceptSymbol('.')) return first;
		const name = cursor.expectIdentifier();
		if (first.value === this.#project.toLowerCase()) return name;
		throw tableNotFoundIn(first, name);
	}

	#tableNotFound(token: Token): OdpsError {
		return new OdpsError('tableNotFound', `table ${this.#project}.${token.value} cannot be resolved`, positionOf(token));
	}

	async #requireTable(token: Token): Promise<TableDefinition> {
		const table = await this.#catalog.getTable(token.value);
		if (table === undefined) throw this.#tableNotFound(token);
		return table;
	}

	/** The current project's tables a query reads; Information Schema views pass, any other project fails. */
	async #checkTables(references: TableReference[]): Promise<TableDefinition[]> {
		const tables: TableDefinition[] = [];
		for (const {projectToken, token, name} of references) {
			if (projectToken === undefined) {
				const table = await this.#requireTable(token);
				this.#access?.check('Select', table.name);
				tables.push(table);
			} else if (projectToken.value !== informationSchemaProject || !isInformationSchemaView(name)) throw tableNotFoundIn(projectToken, token);
		}

		return tables;
	}

	async #inTransaction(work: () => Promise<void>): Promise<void> {
		await this.#connection.run('BEGIN TRANSACTION');
		try {
			await work();
			await this.#connection.run('COMMIT');
		} catch (error) {
			await this.#connection.run('ROLLBACK');
			throw error;
		}
	}
}

/**
 * A table of another project is not there: the service names it as written, at the project name, e.g.
 * `ODPS-0130131:[1,13] Table not found - table xx.xx.xx cannot be resolved` (aliyun/aliyun-odps-java-sdk issue #78).
 */
function tableNotFoundIn(projectToken: Token, nameToken: Token): OdpsError {
	return new OdpsError('tableNotFound', `table ${projectToken.value}.${nameToken.value} cannot be resolved`, positionOf(projectToken));
}

/** ADD USER, REMOVE USER, LIST USERS, GRANT, REVOKE, SHOW GRANTS: the project's security statements. */
function isSecurityStatement(tokens: Token[]): boolean {
	const [first, second] = tokens;
	return isWord(first, 'grant') || isWord(first, 'revoke')
		|| ((isWord(first, 'add') || isWord(first, 'remove')) && isWord(second, 'user'))
		|| (isWord(first, 'list') && isWord(second, 'users'))
		|| (isWord(first, 'show') && isWord(second, 'grants'));
}

function splitAssignment(text: string, token: Token): [string, string] {
	const separator = text.indexOf('=');
	const key = text.slice(0, separator).trim();
	if (separator <= 0 || key === '') throw new OdpsError('parse', 'invalid set statement, expect key=value', positionOf(token));
	return [key, text.slice(separator + 1).trim()];
}
