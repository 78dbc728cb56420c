/**
 * A small decoder for the PutLogs body: protobuf `LogGroup` (aliyun-log-nodejs-sdk `lib/sls.proto`):
 * `LogGroup{repeated Log Logs=1; optional string Reserved=2; optional string Topic=3; optional string Source=4;
 * repeated LogTag LogTags=6}`, `Log{required uint32 Time=1; repeated Content Contents=2; optional fixed32 TimeNs=4}`,
 * `Content{required string Key=1; required string Value=2}`, `LogTag{required string Key=1; required string Value=2}`.
 * Unknown fields are skipped, as protobuf readers do.
 */
export type DecodedLog = {time: number; timeNs?: number; contents: Array<[string, string]>};
export type DecodedLogGroup = {logs: DecodedLog[]; topic: string; source: string; tags: Array<[string, string]>};

export class ProtobufError extends Error {}

class Reader {
	position = 0;
	readonly bytes: Uint8Array;
	readonly end: number;

	constructor(bytes: Uint8Array, end = bytes.length) {
		this.bytes = bytes;
		this.end = end;
	}

	get done(): boolean {
		return this.position >= this.end;
	}

	varint(): number {
		let result = 0;
		let scale = 1;
		for (let shift = 0; shift < 64; shift += 7) {
			if (this.position >= this.end) throw new ProtobufError('truncated varint');
			const byte = this.bytes[this.position++]!;
			result += (byte & 0x7F) * scale;
			scale *= 128;
			if ((byte & 0x80) === 0) return result;
		}

		throw new ProtobufError('varint longer than 10 bytes');
	}

	fixed32(): number {
		if (this.position + 4 > this.end) throw new ProtobufError('truncated fixed32');
		const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.position, 4);
		this.position += 4;
		return view.getUint32(0, true);
	}

	sub(): Reader {
		const length = this.varint();
		if (this.position + length > this.end) throw new ProtobufError('length-delimited field runs past its message');
		const reader = new Reader(this.bytes, this.position + length);
		reader.position = this.position;
		this.position += length;
		return reader;
	}

	text(): string {
		const sub = this.sub();
		return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + sub.position, sub.end - sub.position).toString('utf8');
	}

	skip(wireType: number): void {
		switch (wireType) {
			case 0:
				this.varint();
				return;
			case 1:
				this.position += 8;
				break;
			case 2:
				this.sub();
				return;
			case 5:
				this.position += 4;
				break;
			default:
				throw new ProtobufError(`unsupported wire type ${wireType}`);
		}

		if (this.position > this.end) throw new ProtobufError('truncated field');
	}

	tag(): [number, number] {
		const key = this.varint();
		return [Math.floor(key / 8), key & 7];
	}
}

function pair(reader: Reader, what: string): [string, string] {
	let key: string | undefined;
	let value: string | undefined;
	while (!reader.done) {
		const [field, wire] = reader.tag();
		if (field === 1 && wire === 2) key = reader.text();
		else if (field === 2 && wire === 2) value = reader.text();
		else reader.skip(wire);
	}

	if (key === undefined || value === undefined) throw new ProtobufError(`${what} needs both Key and Value`);
	return [key, value];
}

function log(reader: Reader): DecodedLog {
	let time: number | undefined;
	let timeNs: number | undefined;
	const contents: Array<[string, string]> = [];
	while (!reader.done) {
		const [field, wire] = reader.tag();
		if (field === 1 && wire === 0) time = reader.varint();
		else if (field === 2 && wire === 2) contents.push(pair(reader.sub(), 'Content'));
		else if (field === 4 && wire === 5) timeNs = reader.fixed32();
		else reader.skip(wire);
	}

	if (time === undefined) throw new ProtobufError('Log.Time is required');
	if (time > 0xFF_FF_FF_FF) throw new ProtobufError('Log.Time is not a uint32');
	return {time, contents, ...(timeNs === undefined ? {} : {timeNs})};
}

export function decodeLogGroup(bytes: Uint8Array): DecodedLogGroup {
	const reader = new Reader(bytes);
	const group: DecodedLogGroup = {logs: [], topic: '', source: '', tags: []};
	while (!reader.done) {
		const [field, wire] = reader.tag();
		if (field === 1 && wire === 2) group.logs.push(log(reader.sub()));
		else if (field === 3 && wire === 2) group.topic = reader.text();
		else if (field === 4 && wire === 2) group.source = reader.text();
		else if (field === 6 && wire === 2) group.tags.push(pair(reader.sub(), 'LogTag'));
		else reader.skip(wire);
	}

	return group;
}
