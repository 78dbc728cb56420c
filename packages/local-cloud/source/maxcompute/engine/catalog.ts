import type {DuckDBConnection} from '@duckdb/node-api';
import {quoteIdentifier} from './sql-text.js';
import {duckdbType, parseTypeText} from './types.js';

export type ColumnDefinition = {name: string; type: string; comment: string};

export type TableDefinition = {
	name: string;
	columns: ColumnDefinition[];
	partitionColumns: ColumnDefinition[];
	comment: string;
	lifecycle: number | undefined;
	createdAt: Date;
	lastDdlAt: Date;
	lastModifiedAt: Date;
};

const metaSchema = 'odps_meta';

/** The catalog table (name, definition as JSON), for views over the catalog such as the Information Schema. */
export const catalogTablesRelation = `${metaSchema}.tables`;

/** Table definitions and project flags, kept in their own DuckDB schema next to the data (schema `main`). */
export class Catalog {
	readonly #connection: DuckDBConnection;

	constructor(connection: DuckDBConnection) {
		this.#connection = connection;
	}

	async initialise(): Promise<void> {
		await this.#connection.run(`CREATE SCHEMA IF NOT EXISTS ${metaSchema}`);
		await this.#connection.run(`CREATE TABLE IF NOT EXISTS ${metaSchema}.tables (
			name VARCHAR PRIMARY KEY, definition VARCHAR NOT NULL)`);
		await this.#connection.run(`CREATE TABLE IF NOT EXISTS ${metaSchema}.project_flags (
			name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
	}

	async getTable(name: string): Promise<TableDefinition | undefined> {
		const reader = await this.#connection.runAndReadAll(`SELECT definition FROM ${metaSchema}.tables WHERE name = $1`, [name]);
		const row = reader.getRows()[0];
		return row === undefined ? undefined : parseDefinition(String(row[0]));
	}

	async listTables(): Promise<TableDefinition[]> {
		const reader = await this.#connection.runAndReadAll(`SELECT definition FROM ${metaSchema}.tables ORDER BY name`);
		return reader.getRows().map(row => parseDefinition(String(row[0])));
	}

	/** Creates the data table and records its definition; the caller runs both inside one transaction. */
	async createTable(definition: TableDefinition): Promise<void> {
		const columns = [...definition.columns, ...definition.partitionColumns]
			.map(column => `${quoteIdentifier(column.name)} ${duckdbType(parseTypeText(column.type))}`)
			.join(', ');
		await this.#connection.run(`CREATE TABLE main.${quoteIdentifier(definition.name)} (${columns})`);
		await this.#connection.run(`INSERT INTO ${metaSchema}.tables VALUES ($1, $2)`, [
			definition.name,
			JSON.stringify(definition),
		]);
	}

	async dropTable(name: string): Promise<void> {
		await this.#connection.run(`DROP TABLE IF EXISTS main.${quoteIdentifier(name)}`);
		await this.#connection.run(`DELETE FROM ${metaSchema}.tables WHERE name = $1`, [name]);
	}

	async markModified(definition: TableDefinition, when = new Date()): Promise<void> {
		const updated = {...definition, lastModifiedAt: when};
		await this.#connection.run(`UPDATE ${metaSchema}.tables SET definition = $2 WHERE name = $1`, [
			definition.name,
			JSON.stringify(updated),
		]);
	}

	async projectFlags(): Promise<Record<string, string>> {
		const reader = await this.#connection.runAndReadAll(`SELECT name, value FROM ${metaSchema}.project_flags ORDER BY name`);
		return Object.fromEntries(reader.getRows().map(([name, value]) => [String(name), String(value)]));
	}

	async setProjectFlag(name: string, value: string): Promise<void> {
		await this.#connection.run(
			`INSERT INTO ${metaSchema}.project_flags VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
			[name, value],
		);
	}
}

function parseDefinition(text: string): TableDefinition {
	const raw = JSON.parse(text) as Omit<TableDefinition, 'createdAt' | 'lastDdlAt' | 'lastModifiedAt'> & {
		createdAt: string;
		lastDdlAt: string;
		lastModifiedAt: string;
		lifecycle?: number;
	};
	return {
		...raw,
		lifecycle: raw.lifecycle,
		createdAt: new Date(raw.createdAt),
		lastDdlAt: new Date(raw.lastDdlAt),
		lastModifiedAt: new Date(raw.lastModifiedAt),
	};
}
