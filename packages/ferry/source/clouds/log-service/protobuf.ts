/**
 * The protobuf `LogGroup` that PutLogs sends, encoded by hand (aliyun-log-nodejs-sdk `lib/sls.proto`,
 * aliyun-log-go-sdk `log.proto`):
 *   LogGroup { repeated Log Logs = 1; optional string Reserved = 2; optional string Topic = 3; optional string Source = 4;
 *              repeated LogTag LogTags = 6 }
 *   Log      { required uint32 Time = 1; repeated Content Contents = 2; optional fixed32 TimeNs = 4 }
 *   Content / LogTag { required string Key = 1; required string Value = 2 }
 * Fields are written in field-number order, as protobufjs, gogo-protobuf and the Python runtime do, so the bytes
 * match the vendor SDKs' bytes (and their Content-MD5).
 */

export type LogPair = readonly [key: string, value: string];
export type LogEntry = {
	/** Unix seconds (uint32): the log's `__time__`. */
	time: number;
	contents: readonly LogPair[];
	/** Nanoseconds within the second (fixed32). */
	timeNs?: number;
};
export type LogGroup = {logs: readonly LogEntry[]; topic?: string; source?: string; tags?: readonly LogPair[]};

const wireVarint = 0;
const wireFixed64 = 1;
const wireLengthDelimited = 2;
const wireFixed32 = 5;

export function varint(value: number): Buffer {
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new RangeError(`A protobuf varint must be a non-negative safe integer, got ${value}`);
	}

	const bytes: number[] = [];
	let rest = value;
	while (rest >= 0x80) {
		bytes.push((rest % 0x80) | 0x80);
		rest = Math.floor(rest / 0x80);
	}

	bytes.push(rest);
	return Buffer.from(bytes);
}

function key(field: number, wireType: number): Buffer {
	return varint((field << 3) | wireType);
}

function bytesField(field: number, payload: Buffer): Buffer {
	return Buffer.concat([key(field, wireLengthDelimited), varint(payload.length), payload]);
}

function stringField(field: number, value: string): Buffer {
	return bytesField(field, Buffer.from(value, 'utf8'));
}

function pairMessage(pairKey: string, value: string): Buffer {
	return Buffer.concat([stringField(1, pairKey), stringField(2, value)]);
}

function checkUint32(value: number, what: string): number {
	if (!Number.isInteger(value) || value < 0 || value > 0xFF_FF_FF_FF) {
		throw new RangeError(`${what} must be an integer from 0 to 4294967295, got ${value}`);
	}

	return value;
}

/** One `Log` message, without its LogGroup field key and length. */
export function encodeLog(log: LogEntry): Buffer {
	const parts = [key(1, wireVarint), varint(checkUint32(log.time, 'A log time (Unix seconds)'))];
	for (const [contentKey, value] of log.contents) {
		parts.push(bytesField(2, pairMessage(contentKey, value)));
	}

	if (log.timeNs !== undefined) {
		const fixed = Buffer.alloc(4);
		fixed.writeUInt32LE(checkUint32(log.timeNs, 'A log\'s TimeNs'));
		parts.push(key(4, wireFixed32), fixed);
	}

	return Buffer.concat(parts);
}

/** `Logs` entry as it appears inside a LogGroup: key, length, message. */
export function logField(encodedLog: Buffer): Buffer {
	return bytesField(1, encodedLog);
}

/** The LogGroup fields after the logs: Topic, Source, LogTags. */
export function groupTrailer(group: Omit<LogGroup, 'logs'>): Buffer {
	const parts: Buffer[] = [];
	if (group.topic !== undefined) {
		parts.push(stringField(3, group.topic));
	}

	if (group.source !== undefined) {
		parts.push(stringField(4, group.source));
	}

	for (const [tagKey, value] of group.tags ?? []) {
		parts.push(bytesField(6, pairMessage(tagKey, value)));
	}

	return Buffer.concat(parts);
}

export function encodeLogGroup(group: LogGroup): Buffer {
	return Buffer.concat([...group.logs.map(log => logField(encodeLog(log))), groupTrailer(group)]);
}

export class ProtobufDecodeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ProtobufDecodeError';
	}
}

type Field = {field: number; wireType: number; value: number | Buffer};

/** Reads the fields of one message; unknown fields are kept for the caller to skip, as protobuf requires. */
function* readFields(buffer: Buffer): Generator<Field> {
	let position = 0;
	const readVarint = (): number => {
		let result = 0;
		let multiplier = 1;
		for (let index = 0; index < 10; index++) {
			if (position >= buffer.length) {
				throw new ProtobufDecodeError('truncated varint');
			}

			const byte = buffer[position++]!;
			result += (byte & 0x7F) * multiplier;
			if (byte < 0x80) {
				return result;
			}

			multiplier *= 0x80;
		}

		throw new ProtobufDecodeError('varint longer than 10 bytes');
	};

	const take = (length: number): Buffer => {
		if (position + length > buffer.length) {
			throw new ProtobufDecodeError(`field runs past the end of the message (${length} bytes at ${position} of ${buffer.length})`);
		}

		const slice = buffer.subarray(position, position + length);
		position += length;
		return slice;
	};

	while (position < buffer.length) {
		const tag = readVarint();
		const field = Math.floor(tag / 8);
		const wireType = tag % 8;
		if (field === 0) {
			throw new ProtobufDecodeError('field number 0');
		}

		switch (wireType) {
			case wireVarint:
				yield {field, wireType, value: readVarint()};
				break;
			case wireFixed64:
				yield {field, wireType, value: take(8)};
				break;
			case wireLengthDelimited:
				yield {field, wireType, value: take(readVarint())};
				break;
			case wireFixed32:
				yield {field, wireType, value: take(4).readUInt32LE()};
				break;
			default:
				throw new ProtobufDecodeError(`unsupported wire type ${wireType} for field ${field}`);
		}
	}
}

function expect<T extends number | Buffer>(field: Field, wireType: number, where: string): T {
	if (field.wireType !== wireType) {
		throw new ProtobufDecodeError(`${where} field ${field.field} has wire type ${field.wireType}, expected ${wireType}`);
	}

	return field.value as T;
}

function decodePair(buffer: Buffer, where: string): LogPair {
	let pairKey: string | undefined;
	let value: string | undefined;
	for (const field of readFields(buffer)) {
		if (field.field === 1) {
			pairKey = expect<Buffer>(field, wireLengthDelimited, where).toString('utf8');
		} else if (field.field === 2) {
			value = expect<Buffer>(field, wireLengthDelimited, where).toString('utf8');
		}
	}

	if (pairKey === undefined || value === undefined) {
		throw new ProtobufDecodeError(`${where} lacks its required Key or Value`);
	}

	return [pairKey, value];
}

function decodeLog(buffer: Buffer): LogEntry {
	let time: number | undefined;
	let timeNs: number | undefined;
	const contents: LogPair[] = [];
	for (const field of readFields(buffer)) {
		if (field.field === 1) {
			time = expect<number>(field, wireVarint, 'Log');
		} else if (field.field === 2) {
			contents.push(decodePair(expect<Buffer>(field, wireLengthDelimited, 'Log'), 'Log.Content'));
		} else if (field.field === 4) {
			timeNs = expect<number>(field, wireFixed32, 'Log');
		}
	}

	if (time === undefined) {
		throw new ProtobufDecodeError('Log lacks its required Time');
	}

	return timeNs === undefined ? {time, contents} : {time, contents, timeNs};
}

export function decodeLogGroup(buffer: Buffer): LogGroup & {logs: LogEntry[]; tags: LogPair[]} {
	const logs: LogEntry[] = [];
	const tags: LogPair[] = [];
	let topic: string | undefined;
	let source: string | undefined;
	for (const field of readFields(buffer)) {
		switch (field.field) {
			case 1:
				logs.push(decodeLog(expect<Buffer>(field, wireLengthDelimited, 'LogGroup')));
				break;
			case 3:
				topic = expect<Buffer>(field, wireLengthDelimited, 'LogGroup').toString('utf8');
				break;
			case 4:
				source = expect<Buffer>(field, wireLengthDelimited, 'LogGroup').toString('utf8');
				break;
			case 6:
				tags.push(decodePair(expect<Buffer>(field, wireLengthDelimited, 'LogGroup'), 'LogTag'));
				break;
			default:
				// Reserved (2) and fields newer than this reader.
				break;
		}
	}

	return {logs, tags, ...(topic === undefined ? {} : {topic}), ...(source === undefined ? {} : {source})};
}
