/**
 * The protobuf `LogGroup` PutLogs sends (aliyun-log-nodejs-sdk `lib/sls.proto`): Logs = 1 (Time = 1 uint32,
 * Contents = 2 {Key = 1, Value = 2}), Topic = 3, Source = 4, LogTags = 6 {Key = 1, Value = 2}.
 */
export type LogEntry = {time: number; contents: ReadonlyArray<readonly [string, string]>};
export type LogGroup = {topic?: string; source?: string; logs: readonly LogEntry[]; tags?: ReadonlyArray<readonly [string, string]>};

function varint(value: number): Buffer {
	const bytes: number[] = [];
	let rest = value;
	while (rest >= 0x80) {
		bytes.push((rest % 0x80) | 0x80);
		rest = Math.floor(rest / 0x80);
	}

	bytes.push(rest);
	return Buffer.from(bytes);
}

function field(number: number, payload: Buffer): Buffer {
	return Buffer.concat([varint((number << 3) | 2), varint(payload.length), payload]);
}

function pair(number: number, key: string, value: string): Buffer {
	return field(number, Buffer.concat([field(1, Buffer.from(key)), field(2, Buffer.from(value))]));
}

export function encodeLogGroup(group: LogGroup): Buffer {
	const parts: Buffer[] = [];
	for (const log of group.logs) {
		const time = Math.floor(log.time);
		if (!Number.isInteger(time) || time < 0 || time > 0xFF_FF_FF_FF) {
			throw new RangeError(`A log time must be Unix seconds (uint32), got ${log.time}`);
		}

		parts.push(field(1, Buffer.concat([varint(1 << 3), varint(time), ...log.contents.map(([key, value]) => pair(2, key, value))])));
	}

	if (group.topic !== undefined) {
		parts.push(field(3, Buffer.from(group.topic)));
	}

	if (group.source !== undefined) {
		parts.push(field(4, Buffer.from(group.source)));
	}

	for (const [key, value] of group.tags ?? []) {
		parts.push(pair(6, key, value));
	}

	return Buffer.concat(parts);
}
