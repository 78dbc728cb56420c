/**
 * `COPY (query) TO STDOUT` from PGlite straight into one CSV file per UNLOAD slice, as the backend streams it: no
 * table-sized buffer in memory, and rows dealt round-robin to the slices (Redshift's EVEN distribution) on the way.
 * PostgreSQL sends each row of a COPY as one CopyData message, so a message is a row.
 */
import {closeSync, openSync, writeSync} from 'node:fs';
import type {PGlite} from '@electric-sql/pglite';

const bufferBytes = 1 << 20;

class SliceFile {
	readonly #fd: number;
	readonly #buffer = Buffer.allocUnsafe(bufferBytes);
	#used = 0;

	constructor(file: string) {
		this.#fd = openSync(file, 'w', 0o600);
	}

	append(source: Buffer, start: number, end: number): void {
		const length = end - start;
		if (this.#used + length > bufferBytes) {
			this.flush();
		}

		if (length > bufferBytes) {
			this.#write(source, start, end);
			return;
		}

		source.copy(this.#buffer, this.#used, start, end);
		this.#used += length;
	}

	flush(): void {
		this.#write(this.#buffer, 0, this.#used);
		this.#used = 0;
	}

	#write(source: Buffer, start: number, end: number): void {
		let offset = start;
		while (offset < end) {
			offset += writeSync(this.#fd, source, offset, end - offset);
		}
	}

	close(): void {
		try {
			this.flush();
		} finally {
			closeSync(this.#fd);
		}
	}
}

function simpleQuery(sql: string): Uint8Array {
	const text = Buffer.from(sql, 'utf8');
	const message = Buffer.alloc(1 + 4 + text.length + 1);
	message[0] = 0x51; // 'Q'
	message.writeInt32BE(4 + text.length + 1, 1);
	text.copy(message, 5);
	return message;
}

/** The `M` (message) field of an ErrorResponse body. */
function errorMessage(body: Buffer): string {
	let position = 0;
	let message = 'unknown error';
	while (position < body.length && body[position] !== 0) {
		const code = String.fromCharCode(body[position]!);
		const end = body.indexOf(0, position + 1);
		if (code === 'M') {
			message = body.toString('utf8', position + 1, end);
		}

		position = end + 1;
	}

	return message;
}

/** Runs `copySql` (a `COPY … TO STDOUT`) and writes row n to `files[n % files.length]`. Returns the rows copied. */
export async function copyOutToSlices(db: PGlite, copySql: string, files: readonly string[]): Promise<number> {
	const slices = files.map(file => new SliceFile(file));
	let carry: Buffer | undefined;
	let rows = 0;
	let failure: string | undefined;
	const onRawData = (data: Uint8Array) => {
		const chunk = carry ? Buffer.concat([carry, data]) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
		carry = undefined;
		let offset = 0;
		while (offset + 5 <= chunk.length) {
			const end = offset + 1 + chunk.readInt32BE(offset + 1);
			if (end > chunk.length) {
				break;
			}

			const type = chunk[offset];
			if (type === 0x64) { // 'd' CopyData: one row
				slices[rows % slices.length]!.append(chunk, offset + 5, end);
				rows++;
			} else if (type === 0x45) { // 'E' ErrorResponse
				failure ??= errorMessage(chunk.subarray(offset + 5, end));
			}

			offset = end;
		}

		// PGlite reuses its buffer after the callback, so a partial message is copied, never kept as a view.
		if (offset < chunk.length) {
			carry = Buffer.from(chunk.subarray(offset));
		}
	};

	try {
		await db.runExclusive(async () => db.execProtocolRawStream(simpleQuery(copySql), {onRawData}));
	} finally {
		for (const slice of slices) {
			slice.close();
		}
	}

	if (failure !== undefined) {
		throw new Error(failure);
	}

	return rows;
}
