import type {PGlite} from '@electric-sql/pglite';
import {quoteIdentifier, quoteLiteral} from 'ferry/clouds/redshift/sql-text';
import {execRaw, runSql, simpleQueryMessage, transactionStatus} from './sql-runner.js';

/**
 * Many sessions over PGlite's single backend.
 *
 * PGlite is one PostgreSQL backend, so every wire connection and every Data API statement shares its session
 * state. Each session gets its own state back this way:
 * - Turns are serialised: one session's work (a simple query, an extended-protocol batch, a Data API statement)
 *   runs at a time.
 * - A session that leaves a transaction open (or an extended-protocol sequence before its Sync) keeps the backend:
 *   other sessions' turns wait, in order, until it commits, rolls back or disconnects. Redshift would let them run
 *   on other tables; waiting is the simple, correct choice for a single-user local cloud.
 * - When the backend passes to another session, the leaving session's state is put aside: its SET parameters are
 *   read from pg_settings (source 'session') and RESET, its temporary tables, views, sequences and indexes are
 *   renamed to hidden names. The arriving session's parameters and temporary objects are put back.
 * - When a session ends, its open transaction is rolled back and its temporary objects are dropped.
 * Protocol-level prepared statements and portals are kept apart by the wire server, which prefixes their names.
 */
export type BackendSession = {
	readonly id: number;
	/** Runs `work` with this session's state loaded in the backend. */
	turn<T>(work: () => Promise<T>): Promise<T>;
	/** Rolls back, drops temporary objects, deallocates `preparedStatements`; the session cannot be used again. */
	close(preparedStatements?: Iterable<string>): Promise<void>;
};

export type SessionOptions = {
	/** The role the session runs as (SET SESSION AUTHORIZATION). */
	user: string;
	/** While true after a turn, the session keeps the backend even outside a transaction. */
	holdWhile?: () => boolean;
};

type HiddenObject = {hiddenName: string; name: string; kind: string};

type SessionState = {
	id: number;
	options: SessionOptions;
	settings: Array<[string, string]>;
	hidden: HiddenObject[];
	closed: boolean;
};

const hiddenPrefix = 'ferry_session_hidden_';

const alterKind: Record<string, string> = {r: 'table', p: 'table', f: 'foreign table', v: 'view', m: 'materialized view', S: 'sequence', i: 'index', I: 'index'};

/** Parameters a session shows as set that are not its own choice (or cannot be set back outside a transaction). */
const unrestorable = new Set(['transaction_isolation', 'transaction_read_only', 'transaction_deferrable', 'session_authorization', 'role', 'is_superuser']);

/**
 * A new session's parameters, set after RESET ALL: PGlite started its one backend with its own defaults
 * (search_path public), which RESET ALL returns to, so Redshift's are set explicitly.
 */
const sessionDefaults = 'set search_path = "$user", public; set timezone = \'UTC\'; set datestyle = \'ISO, MDY\'';

export class SharedBackend {
	readonly #db: PGlite;
	#nextId = 1;
	#loaded: SessionState | undefined;
	#holder: SessionState | undefined;
	#running = false;
	readonly #waiting: Array<{state: SessionState; grant: () => void}> = [];

	constructor(db: PGlite) {
		this.#db = db;
	}

	open(options: SessionOptions): BackendSession {
		const state: SessionState = {id: this.#nextId++, options, settings: [], hidden: [], closed: false};
		return {
			id: state.id,
			turn: async work => {
				if (state.closed) {
					throw new Error('The session is closed');
				}

				return this.#turn(state, async () => {
					await this.#load(state);
					return work();
				});
			},
			close: async preparedStatements => {
				if (state.closed) {
					return;
				}

				await this.#turn(state, async () => {
					state.closed = true;
					await this.#end(state, [...preparedStatements ?? []]);
				});
			},
		};
	}

	/** Resolves once no turn runs or waits (sessions closing after their last turn included). */
	async idle(): Promise<void> {
		do {
			await this.open({user: 'postgres'}).close();
		} while (this.#running || this.#waiting.length > 0);
	}

	/** Waits until no turn is running and no other session holds the backend. */
	async #acquire(state: SessionState): Promise<void> {
		if (!this.#running && (this.#holder === undefined || this.#holder === state)) {
			this.#running = true;
			return;
		}

		await new Promise<void>(resolve => {
			this.#waiting.push({state, grant: resolve});
		});
	}

	#release(state: SessionState): void {
		const holds = !state.closed && this.#loaded === state && (transactionStatus(this.#db) !== 'I' || (state.options.holdWhile?.() ?? false));
		this.#holder = holds ? state : undefined;
		const next = this.#waiting.findIndex(waiter => this.#holder === undefined || waiter.state === this.#holder);
		if (next === -1) {
			this.#running = false;
			return;
		}

		const [waiter] = this.#waiting.splice(next, 1);
		waiter!.grant();
	}

	async #turn<T>(state: SessionState, work: () => Promise<T>): Promise<T> {
		await this.#acquire(state);
		try {
			return await work();
		} finally {
			this.#release(state);
		}
	}

	async #query(sql: string): Promise<Array<Array<string | null>>> {
		return (await runSql(this.#db, sql)).rows;
	}

	async #temporaryObjects(): Promise<Array<{oid: string; name: string; kind: string}>> {
		const rows = await this.#query(`select c.oid::text, c.relname::text, c.relkind::text from pg_catalog.pg_class c
			where c.relnamespace = pg_catalog.pg_my_temp_schema() and c.relkind in ('r', 'p', 'f', 'v', 'm', 'S', 'i', 'I')
			and c.relname not like '${hiddenPrefix}%' order by c.relkind = 'i' or c.relkind = 'I', c.oid`);
		return rows.map(([oid, name, kind]) => ({oid: oid!, name: name!, kind: kind!}));
	}

	async #rename(kind: string, from: string, to: string): Promise<void> {
		await this.#query(`alter ${alterKind[kind] ?? 'table'} pg_temp.${quoteIdentifier(from)} rename to ${quoteIdentifier(to)}`);
	}

	/** Puts the loaded session's state aside and loads `state`'s. */
	async #load(state: SessionState): Promise<void> {
		if (this.#loaded === state) {
			return;
		}

		const leaving = this.#loaded;
		if (leaving && !leaving.closed) {
			leaving.settings = (await this.#query('select name, pg_catalog.current_setting(name) from pg_catalog.pg_settings where source = \'session\''))
				.map(([name, value]) => [name!, value ?? ''] as [string, string])
				.filter(([name]) => !unrestorable.has(name));
			for (const object of await this.#temporaryObjects()) {
				const hiddenName = `${hiddenPrefix}${object.oid}`;
				await this.#rename(object.kind, object.name, hiddenName);
				leaving.hidden.push({hiddenName, name: object.name, kind: object.kind});
			}
		}

		this.#loaded = undefined;
		await this.#query(`reset all; ${sessionDefaults}; set session authorization ${quoteIdentifier(state.options.user)}`);
		for (const object of state.hidden) {
			await this.#rename(object.kind, object.hiddenName, object.name);
		}

		state.hidden = [];
		if (state.settings.length > 0) {
			await this.#query(`select ${state.settings.map(([name, value]) => `pg_catalog.set_config(${quoteLiteral(name)}, ${quoteLiteral(value)}, false)`).join(', ')}`);
		}

		state.settings = [];
		this.#loaded = state;
	}

	async #end(state: SessionState, preparedStatements: string[]): Promise<void> {
		if (this.#loaded === state) {
			// An extended-protocol sequence cut off before its Sync is ended first, then any open transaction.
			await execRaw(this.#db, new Uint8Array([0x53, 0, 0, 0, 4]));
			if (transactionStatus(this.#db) !== 'I') {
				await execRaw(this.#db, simpleQueryMessage('rollback'));
			}

			for (const object of await this.#temporaryObjects()) {
				if (object.kind !== 'i' && object.kind !== 'I') {
					await this.#query(`drop ${alterKind[object.kind] ?? 'table'} if exists pg_temp.${quoteIdentifier(object.name)} cascade`);
				}
			}

			await this.#query('reset all');
			this.#loaded = undefined;
		} else {
			for (const object of state.hidden.filter(hidden => hidden.kind !== 'i' && hidden.kind !== 'I')) {
				await this.#query(`drop ${alterKind[object.kind] ?? 'table'} if exists pg_temp.${quoteIdentifier(object.hiddenName)} cascade`);
			}
		}

		state.hidden = [];
		for (const name of preparedStatements) {
			await this.#query(`deallocate ${quoteIdentifier(name)}`).catch(() => undefined);
		}
	}
}
