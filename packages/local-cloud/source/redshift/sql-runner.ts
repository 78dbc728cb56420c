import type {PGlite} from '@electric-sql/pglite';

export type RawField = {name: string; dataTypeID: number; dataTypeModifier: number; tableID: number};

export type RawResult = {
	fields: RawField[];
	/** PostgreSQL text output, exactly as a server would send it; null is SQL NULL. */
	rows: Array<Array<string | null>>;
	/** The last command tag, e.g. `SELECT 5`, `INSERT 0 3`, `CREATE TABLE`. */
	commandTag: string;
};

export class PostgresError extends Error {
	readonly code: string | undefined;

	constructor(message: string, code: string | undefined) {
		super(message);
		this.name = 'PostgresError';
		this.code = code;
	}
}

export function simpleQueryMessage(sql: string): Uint8Array {
	const text = new TextEncoder().encode(sql);
	const message = new Uint8Array(1 + 4 + text.length + 1);
	message[0] = 0x51; // 'Q'
	new DataView(message.buffer).setInt32(1, 4 + text.length + 1);
	message.set(text, 5);
	return message;
}

type Collected = RawResult & {copyData: Buffer[]; error?: PostgresError};

/** Decodes the backend messages a simple query produces (RowDescription, DataRow, CommandComplete, CopyData, ErrorResponse). */
function decodeBackendMessages(bytes: Buffer): Collected {
	const decoder = new TextDecoder();
	const collected: Collected = {fields: [], rows: [], commandTag: '', copyData: []};
	let offset = 0;
	const readCString = (position: number): [string, number] => {
		const end = bytes.indexOf(0, position);
		return [decoder.decode(bytes.subarray(position, end)), end + 1];
	};

	while (offset + 5 <= bytes.length) {
		const type = String.fromCharCode(bytes[offset]!);
		const length = bytes.readInt32BE(offset + 1);
		const body = offset + 5;
		const next = offset + 1 + length;
		switch (type) {
			case 'T': {
				const count = bytes.readInt16BE(body);
				let position = body + 2;
				const fields: RawField[] = [];
				for (let index = 0; index < count; index++) {
					const [name, after] = readCString(position);
					fields.push({
						name,
						tableID: bytes.readInt32BE(after),
						dataTypeID: bytes.readInt32BE(after + 6),
						dataTypeModifier: bytes.readInt32BE(after + 12),
					});
					position = after + 18;
				}

				collected.fields = fields;
				collected.rows = [];
				break;
			}

			case 'D': {
				const count = bytes.readInt16BE(body);
				let position = body + 2;
				const row: Array<string | null> = [];
				for (let index = 0; index < count; index++) {
					const size = bytes.readInt32BE(position);
					position += 4;
					if (size < 0) {
						row.push(null);
					} else {
						row.push(decoder.decode(bytes.subarray(position, position + size)));
						position += size;
					}
				}

				collected.rows.push(row);
				break;
			}

			case 'C': {
				collected.commandTag = readCString(body)[0];
				break;
			}

			case 'd': {
				collected.copyData.push(bytes.subarray(body, next));
				break;
			}

			case 'E': {
				let position = body;
				const parts = new Map<string, string>();
				while (position < next && bytes[position] !== 0) {
					const code = String.fromCharCode(bytes[position]!);
					const [value, after] = readCString(position + 1);
					parts.set(code, value);
					position = after;
				}

				collected.error ??= new PostgresError(parts.get('M') ?? 'unknown error', parts.get('C'));
				break;
			}

			default: {
				break;
			}
		}

		offset = next;
	}

	return collected;
}

/** The transaction status of PGlite's one backend as its last ReadyForQuery said: I idle, T in a block, E failed block. */
export type TransactionStatus = 'I' | 'T' | 'E';

const statuses = new WeakMap<PGlite, TransactionStatus>();

export function transactionStatus(db: PGlite): TransactionStatus {
	return statuses.get(db) ?? 'I';
}

/** Where each backend message starts and ends in a buffer of complete messages. */
export function backendMessages(bytes: Buffer): Array<{type: string; start: number; end: number}> {
	const messages: Array<{type: string; start: number; end: number}> = [];
	let offset = 0;
	while (offset + 5 <= bytes.length) {
		const end = offset + 1 + bytes.readInt32BE(offset + 1);
		messages.push({type: String.fromCharCode(bytes[offset]!), start: offset, end});
		offset = end;
	}

	return messages;
}

/**
 * Sends one frontend message to PGlite's backend and returns every byte it answers. It streams the raw protocol
 * under PGlite's query lock (as pglite-socket did): PGlite's non-streaming calls (db.query/execProtocol) must not be
 * mixed with it. Every caller goes through here, so the transaction status is always the backend's latest.
 */
export async function execRaw(db: PGlite, message: Uint8Array): Promise<Buffer> {
	const chunks: Uint8Array[] = [];
	await db.runExclusive(() => db.execProtocolRawStream(message, {onRawData: data => chunks.push(data.slice())}));
	const output = Buffer.concat(chunks);
	const ready = backendMessages(output).findLast(entry => entry.type === 'Z');
	if (ready) {
		statuses.set(db, String.fromCharCode(output[ready.start + 5]!) as TransactionStatus);
	}

	return output;
}

/**
 * Runs SQL through PostgreSQL's simple query protocol, so values arrive as the server's text (exact DECIMAL,
 * dates) and the row description carries type modifiers (precision/scale), as Redshift's drivers see them.
 */
async function runRaw(db: PGlite, sql: string): Promise<Collected> {
	const collected = decodeBackendMessages(await execRaw(db, simpleQueryMessage(sql)));
	if (collected.error) {
		throw collected.error;
	}

	return collected;
}

export async function runSql(db: PGlite, sql: string): Promise<RawResult> {
	const {fields, rows, commandTag} = await runRaw(db, sql);
	return {fields, rows, commandTag};
}

/** `COPY (query) TO STDOUT`'s output, e.g. PostgreSQL CSV. */
export async function copyOut(db: PGlite, copySql: string): Promise<Buffer> {
	return Buffer.concat((await runRaw(db, copySql)).copyData);
}

/** Rows a command tag reports (`INSERT 0 3` → 3, `SELECT 5` → 5), or -1 for DDL and other commands without a count. */
export function rowsOfCommandTag(tag: string): number {
	const match = /^(?:INSERT \d+|SELECT|UPDATE|DELETE|COPY|MERGE|FETCH|MOVE) (\d+)$/.exec(tag);
	return match ? Number(match[1]) : -1;
}
