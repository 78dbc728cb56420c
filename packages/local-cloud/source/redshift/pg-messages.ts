/** PostgreSQL protocol 3.0 messages the wire server writes and reads (PostgreSQL docs, "Message Formats"). */

export function message(type: string, ...parts: Buffer[]): Buffer {
	const body = Buffer.concat(parts);
	const header = Buffer.alloc(5);
	header.write(type, 0, 'latin1');
	header.writeInt32BE(4 + body.length, 1);
	return Buffer.concat([header, body]);
}

export function cString(text: string): Buffer {
	return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}

export function int32(value: number): Buffer {
	const buffer = Buffer.alloc(4);
	buffer.writeInt32BE(value);
	return buffer;
}

export function int16(value: number): Buffer {
	const buffer = Buffer.alloc(2);
	buffer.writeInt16BE(value);
	return buffer;
}

export type Severity = 'ERROR' | 'FATAL' | 'INFO' | 'NOTICE';

/** ErrorResponse ('E') or NoticeResponse ('N'): S and V severity, C SQLSTATE, M message. */
export function errorOrNotice(type: 'E' | 'N', severity: Severity, code: string, text: string): Buffer {
	return message(type, Buffer.from('S'), cString(severity), Buffer.from('V'), cString(severity), Buffer.from('C'), cString(code), Buffer.from('M'), cString(text), Buffer.from([0]));
}

export const readyForQuery = (status: string) => message('Z', Buffer.from(status, 'latin1'));
export const commandComplete = (tag: string) => message('C', cString(tag));
export const parameterStatus = (name: string, value: string) => message('S', cString(name), cString(value));
export const parseComplete = () => message('1');
export const bindComplete = () => message('2');
export const closeComplete = () => message('3');
export const noData = () => message('n');
export const noParameters = () => message('t', int16(0));

/** Reads NUL-terminated strings from a message body. */
export class BodyReader {
	#offset: number;
	readonly #body: Buffer;

	constructor(body: Buffer, offset = 0) {
		this.#body = body;
		this.#offset = offset;
	}

	cString(): string {
		const end = this.#body.indexOf(0, this.#offset);
		const text = this.#body.toString('utf8', this.#offset, end === -1 ? this.#body.length : end);
		this.#offset = end === -1 ? this.#body.length : end + 1;
		return text;
	}

	byte(): string {
		return String.fromCharCode(this.#body[this.#offset++] ?? 0);
	}

	rest(): Buffer {
		return this.#body.subarray(this.#offset);
	}
}
