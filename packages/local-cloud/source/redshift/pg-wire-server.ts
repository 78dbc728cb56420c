import {createHash, randomBytes, randomInt, timingSafeEqual} from 'node:crypto';
import net from 'node:net';
import {redshiftServerVersion, rewriteRedshiftSql} from './dialect.js';
import {
	BodyReader, bindComplete, closeComplete, commandComplete, cString, errorOrNotice, int32, message, noData, noParameters,
	parameterStatus, parseComplete, readyForQuery,
} from './pg-messages.js';
import type {BackendSession, SharedBackend} from './sessions.js';
import {splitStatements} from './sql-text.js';
import {backendMessages, execRaw, PostgresError, simpleQueryMessage, transactionStatus} from './sql-runner.js';
import {isUnload, runUnloadStatement, unloadCompletedMessage, type Pipeline} from './statement-pipeline.js';

/**
 * Redshift's PostgreSQL-protocol door. A front of its own instead of pglite-socket, which passes every byte to
 * PGlite: this one authenticates like a cluster (MD5 password, SQLSTATE 28000 on failure), answers as Redshift
 * (server_version 8.0.2), runs UNLOAD and the dialect rewrites through the same pipeline as the Data API, and gives
 * each connection its own session over PGlite's one backend (sessions.ts). Plain TCP only: SSLRequest is declined.
 */
export type WireServerOptions = {
	backend: SharedBackend;
	pipeline: Pipeline;
	databaseName: string;
	/** Accepted users and their passwords. */
	users: ReadonlyMap<string, string>;
	host: string;
	port: number;
};

export type WireServer = {port: number; close(): Promise<void>};

const sslRequestCode = 80_877_103;
const gssEncRequestCode = 80_877_104;
const cancelRequestCode = 80_877_102;
const protocolVersion3 = 196_608;
const maxMessageBytes = 256 * 1024 * 1024;

function md5Hex(...parts: Array<string | Buffer>): string {
	const hash = createHash('md5');
	for (const part of parts) {
		hash.update(part);
	}

	return hash.digest('hex');
}

/** PostgreSQL's MD5 password answer: "md5" + md5(md5(password + user) + salt). */
export function md5PasswordAnswer(user: string, password: string, salt: Buffer): string {
	return `md5${md5Hex(md5Hex(password, user), salt)}`;
}

function sameText(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

class WireConnection {
	readonly #socket: net.Socket;
	readonly #options: WireServerOptions;
	readonly #id: number;
	#buffer = Buffer.alloc(0);
	#phase: 'startup' | 'password' | 'ready' | 'closed' = 'startup';
	#user = '';
	#database = '';
	readonly #salt = randomBytes(4);
	#session: BackendSession | undefined;
	#work: Promise<void> = Promise.resolve();
	/** Extended-protocol messages were handled since the last Sync. */
	#inSequence = false;
	/** An error in this extended-protocol sequence: the rest up to Sync is skipped. */
	#failed = false;
	readonly #unloadStatements = new Map<string, string>();
	readonly #unloadPortals = new Map<string, string>();
	readonly #prepared = new Set<string>();

	constructor(socket: net.Socket, options: WireServerOptions, id: number) {
		this.#socket = socket;
		this.#options = options;
		this.#id = id;
		socket.setNoDelay(true);
		socket.on('data', (chunk: Buffer) => {
			this.#buffer = Buffer.concat([this.#buffer, chunk]);
			this.#work = this.#work.then(async () => this.#drain()).catch(() => {
				this.#end();
			});
		});
		socket.on('error', () => undefined);
		socket.on('close', () => {
			this.#phase = 'closed';
			this.#work = this.#work.then(async () => this.#session?.close(this.#prepared)).catch(() => undefined);
		});
	}

	get finished(): Promise<void> {
		return this.#work;
	}

	#write(...parts: Buffer[]): void {
		if (!this.#socket.destroyed) {
			this.#socket.write(Buffer.concat(parts));
		}
	}

	#fatal(code: string, text: string): void {
		this.#write(errorOrNotice('E', 'FATAL', code, text));
		this.#end();
	}

	#end(): void {
		this.#phase = 'closed';
		this.#socket.end();
	}

	async #drain(): Promise<void> {
		while (this.#phase === 'startup' || this.#phase === 'password') {
			if (!this.#readStartupOrPassword()) {
				return;
			}
		}

		if (this.#phase !== 'ready') {
			return;
		}

		const messages: Array<{type: string; body: Buffer; raw: Buffer}> = [];
		while (this.#buffer.length >= 5) {
			const length = this.#buffer.readInt32BE(1);
			if (length < 4 || length > maxMessageBytes) {
				this.#fatal('08P01', 'invalid message length');
				return;
			}

			if (this.#buffer.length < 1 + length) {
				break;
			}

			const raw = this.#buffer.subarray(0, 1 + length);
			messages.push({type: String.fromCharCode(raw[0]!), body: raw.subarray(5), raw});
			this.#buffer = this.#buffer.subarray(1 + length);
		}

		// A simple query is one turn; extended-protocol messages up to a Sync (or what has arrived) are one turn.
		let batch: typeof messages = [];
		for (const entry of messages) {
			if (entry.type === 'X') {
				this.#end();
				return;
			}

			if (entry.type === 'Q') {
				await this.#runBatch(batch);
				batch = [];
				await this.#session!.turn(async () => this.#simpleQuery(new BodyReader(entry.body).cString()));
				continue;
			}

			batch.push(entry);
			if (entry.type === 'S') {
				await this.#runBatch(batch);
				batch = [];
			}
		}

		await this.#runBatch(batch);
	}

	/** Handles SSLRequest, StartupMessage and the password answer; false when more bytes are needed. */
	#readStartupOrPassword(): boolean {
		if (this.#phase === 'password') {
			if (this.#buffer.length < 5) {
				return false;
			}

			const length = this.#buffer.readInt32BE(1);
			if (this.#buffer.length < 1 + length) {
				return false;
			}

			const type = String.fromCharCode(this.#buffer[0]!);
			const body = this.#buffer.subarray(5, 1 + length);
			this.#buffer = this.#buffer.subarray(1 + length);
			if (type !== 'p') {
				this.#fatal('08P01', `expected password response, got message type ${type}`);
				return false;
			}

			return this.#checkPassword(new BodyReader(body).cString());
		}

		if (this.#buffer.length < 8) {
			return false;
		}

		const length = this.#buffer.readInt32BE(0);
		if (length < 8 || length > 10_000) {
			this.#fatal('08P01', 'invalid length of startup packet');
			return false;
		}

		if (this.#buffer.length < length) {
			return false;
		}

		const code = this.#buffer.readInt32BE(4);
		const body = this.#buffer.subarray(8, length);
		this.#buffer = this.#buffer.subarray(length);
		if (code === sslRequestCode || code === gssEncRequestCode) {
			this.#write(Buffer.from('N'));
			return true;
		}

		if (code === cancelRequestCode) {
			// PGlite cannot interrupt a running statement; the cancel connection is closed without effect.
			this.#end();
			return false;
		}

		if (code !== protocolVersion3) {
			this.#fatal('08P01', `unsupported frontend protocol ${code >>> 16}.${code & 0xFF}: server supports 3.0 to 3.0`);
			return false;
		}

		const reader = new BodyReader(body);
		const parameters = new Map<string, string>();
		for (let name = reader.cString(); name !== ''; name = reader.cString()) {
			parameters.set(name, reader.cString());
		}

		this.#user = parameters.get('user') ?? '';
		if (this.#user === '') {
			this.#fatal('28000', 'no PostgreSQL user name specified in startup packet');
			return false;
		}

		this.#database = parameters.get('database') ?? this.#user;
		this.#write(message('R', int32(5), this.#salt));
		this.#phase = 'password';
		return true;
	}

	/** Checks the MD5 answer, then the database (PostgreSQL authenticates before it opens the database). */
	#checkPassword(answer: string): boolean {
		const password = this.#options.users.get(this.#user);
		if (password === undefined || !sameText(answer, md5PasswordAnswer(this.#user, password, this.#salt))) {
			this.#fatal('28000', `password authentication failed for user "${this.#user}"`);
			return false;
		}

		if (this.#database !== this.#options.databaseName) {
			this.#fatal('3D000', `database "${this.#database}" does not exist`);
			return false;
		}

		this.#session = this.#options.backend.open({user: this.#user, holdWhile: () => this.#inSequence});
		this.#phase = 'ready';
		const status: Array<[string, string]> = [
			['application_name', ''], ['client_encoding', 'UTF8'], ['DateStyle', 'ISO, MDY'], ['integer_datetimes', 'on'],
			['IntervalStyle', 'postgres'], ['is_superuser', 'on'], ['server_encoding', 'UTF8'], ['server_version', redshiftServerVersion],
			['session_authorization', this.#user], ['standard_conforming_strings', 'on'], ['TimeZone', 'UTC'],
		];
		this.#write(
			message('R', int32(0)),
			...status.map(([name, value]) => parameterStatus(name, value)),
			message('K', int32(process.pid), int32(randomInt(2 ** 31 - 1))),
			readyForQuery('I'),
		);
		return true;
	}

	async #forward(raw: Uint8Array): Promise<Buffer> {
		const output = await execRaw(this.#options.pipeline.db, raw);
		this.#write(output);
		return output;
	}

	/** Runs UNLOAD; on failure inside a transaction block the block is failed too, as on Redshift. */
	async #unload(sql: string): Promise<Buffer> {
		try {
			const rows = await runUnloadStatement(this.#options.pipeline, sql);
			return Buffer.concat([errorOrNotice('N', 'INFO', '00000', unloadCompletedMessage(rows)), commandComplete('UNLOAD')]);
		} catch (error) {
			const code = error instanceof PostgresError && error.code ? error.code : 'XX000';
			const text = error instanceof Error ? error.message : String(error);
			if (transactionStatus(this.#options.pipeline.db) === 'T') {
				await execRaw(this.#options.pipeline.db, simpleQueryMessage('do $$ begin raise exception \'UNLOAD failed\'; end $$'));
			}

			return errorOrNotice('E', 'ERROR', code, text);
		}
	}

	async #simpleQuery(sql: string): Promise<void> {
		const statements = splitStatements(sql);
		if (!statements.some(statement => isUnload(statement))) {
			await this.#forward(simpleQueryMessage(rewriteRedshiftSql(sql)));
			return;
		}

		// A simple query holding UNLOAD runs statement by statement; the first error ends it, as in PostgreSQL.
		for (const statement of statements) {
			if (isUnload(statement)) {
				const answer = await this.#unload(statement);
				this.#write(answer);
				if (answer[0] === 0x45) {
					break;
				}

				continue;
			}

			const output = await execRaw(this.#options.pipeline.db, simpleQueryMessage(rewriteRedshiftSql(statement)));
			const parts = backendMessages(output);
			this.#write(...parts.filter(part => part.type !== 'Z').map(part => output.subarray(part.start, part.end)));
			if (parts.some(part => part.type === 'E')) {
				break;
			}
		}

		this.#write(readyForQuery(transactionStatus(this.#options.pipeline.db)));
	}

	/** Names of one connection's prepared statements and portals, kept apart from other connections' in the backend. */
	#backendName(kind: 's' | 'p', name: string): string {
		return name === '' ? '' : `ferry_${kind}${this.#id}_${name}`;
	}

	async #runBatch(batch: Array<{type: string; body: Buffer; raw: Buffer}>): Promise<void> {
		if (batch.length === 0) {
			return;
		}

		await this.#session!.turn(async () => {
			for (const entry of batch) {
				await this.#extended(entry.type, entry.body, entry.raw);
			}
		});
	}

	async #extended(type: string, body: Buffer, raw: Buffer): Promise<void> {
		if (type === 'S') {
			this.#inSequence = false;
			this.#failed = false;
			await this.#forward(raw);
			return;
		}

		if (type === 'H') {
			return;
		}

		this.#inSequence = true;
		if (this.#failed) {
			return;
		}

		const reader = new BodyReader(body);
		let answer: Buffer | undefined;
		let forward: Buffer | undefined;
		switch (type) {
			case 'P': {
				const name = reader.cString();
				const sql = reader.cString();
				this.#unloadStatements.delete(name);
				if (isUnload(sql)) {
					this.#unloadStatements.set(name, sql);
					answer = parseComplete();
				} else {
					const backendName = this.#backendName('s', name);
					if (backendName !== '') {
						this.#prepared.add(backendName);
					}

					forward = message('P', cString(backendName), cString(rewriteRedshiftSql(sql)), reader.rest());
				}

				break;
			}

			case 'B': {
				const portal = reader.cString();
				const statement = reader.cString();
				const unload = this.#unloadStatements.get(statement);
				this.#unloadPortals.delete(portal);
				if (unload === undefined) {
					forward = message('B', cString(this.#backendName('p', portal)), cString(this.#backendName('s', statement)), reader.rest());
				} else {
					this.#unloadPortals.set(portal, unload);
					answer = bindComplete();
				}

				break;
			}

			case 'D': {
				const kind = reader.byte();
				const name = reader.cString();
				if (kind === 'S' ? this.#unloadStatements.has(name) : this.#unloadPortals.has(name)) {
					answer = kind === 'S' ? Buffer.concat([noParameters(), noData()]) : noData();
				} else {
					forward = message('D', Buffer.from(kind, 'latin1'), cString(this.#backendName(kind === 'S' ? 's' : 'p', name)));
				}

				break;
			}

			case 'E': {
				const portal = reader.cString();
				const unload = this.#unloadPortals.get(portal);
				forward = unload === undefined ? message('E', cString(this.#backendName('p', portal)), reader.rest()) : undefined;
				answer = unload === undefined ? undefined : await this.#unload(unload);
				break;
			}

			case 'C': {
				const kind = reader.byte();
				const name = reader.cString();
				const unloads = kind === 'S' ? this.#unloadStatements : this.#unloadPortals;
				if (unloads.delete(name)) {
					answer = closeComplete();
				} else {
					const backendName = this.#backendName(kind === 'S' ? 's' : 'p', name);
					if (kind === 'S') {
						this.#prepared.delete(backendName);
					}

					forward = message('C', Buffer.from(kind, 'latin1'), cString(backendName));
				}

				break;
			}

			default: {
				// CopyData/CopyDone/CopyFail and anything else PGlite knows go through as they are.
				forward = raw;
				break;
			}
		}

		const output = forward ? await this.#forward(forward) : answer!;
		if (!forward) {
			this.#write(answer!);
		}

		if (backendMessages(output).some(part => part.type === 'E')) {
			this.#failed = true;
		}
	}
}

export async function startWireServer(options: WireServerOptions): Promise<WireServer> {
	const connections = new Set<WireConnection>();
	const sockets = new Set<net.Socket>();
	let nextId = 1;
	const server = net.createServer(socket => {
		sockets.add(socket);
		const connection = new WireConnection(socket, options, nextId++);
		connections.add(connection);
		socket.on('close', () => {
			sockets.delete(socket);
			void connection.finished.finally(() => connections.delete(connection));
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => resolve());
	});
	return {
		port: (server.address() as net.AddressInfo).port,
		async close() {
			const closed = new Promise<void>(resolve => {
				server.close(() => resolve());
			});
			for (const socket of sockets) {
				socket.destroy();
			}

			await closed;
			await Promise.all([...connections].map(async connection => connection.finished));
		},
	};
}
