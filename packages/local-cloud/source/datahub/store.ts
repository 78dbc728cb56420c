/**
 * What the DataHub stand-in keeps under its dataDir: `catalog.json` (projects, topics, connectors and their sync
 * progress), written whole and atomically (temp file + rename); and one append-only JSON-lines file per shard,
 * `shards/<project>/<topic>/<shardId>.jsonl`, one record per line. A line cut short by a kill is dropped on the next
 * start, so every record either exists whole or not at all. Records stay on disk: memory holds each record's byte
 * offset and SystemTime only (16 bytes a record), and reads (GetRecords, the connector) read the lines they need.
 */
import {createReadStream} from 'node:fs';
import {appendFile, mkdir, open, readFile, rename, rm, truncate, writeFile} from 'node:fs/promises';
import path from 'node:path';

export type ProjectRecord = {name: string; comment: string; createTime: number; lastModifyTime: number};

export type TopicRecord = {
	project: string;
	name: string;
	shardCount: number;
	lifecycle: number;
	recordType: 'TUPLE' | 'BLOB';
	recordSchema?: string;
	comment: string;
	expandMode: string;
	createTime: number;
	lastModifyTime: number;
	/** Milliseconds; shards are OPENING for a short while after this. */
	createdAtMs: number;
};

export type ShardState = 'CONTEXT_PLANNED' | 'CONTEXT_EXECUTING' | 'CONTEXT_HANG' | 'CONTEXT_STOPPED' | 'CONTEXT_PAUSED' | 'CONTEXT_FINISHED' | 'CONTEXT_DELETED';

/** A batch written (or being written) to MaxCompute whose outcome is not recorded yet. */
export type PendingBatch = {fromSequence: number; toSequence: number; partition: string; rowsBefore: number; instanceId?: string};

export type ShardContext = {
	shardId: string;
	state: ShardState;
	/** Last synced sequence, -1 before the first. */
	currentSequence: number;
	/** SystemTime (ms) of the last synced record, -1 before the first. */
	currentTimestamp: number;
	/** Seconds: every partition window ending at or before this is complete. */
	doneTime: number;
	lastErrorMessage: string;
	discardCount: number;
	updateTime: number;
	pending?: PendingBatch;
};

export type OdpsSinkConfig = {
	Project: string;
	Table: string;
	OdpsEndpoint: string;
	TunnelEndpoint: string;
	AccessId: string;
	AccessKey: string;
	PartitionMode: 'SYSTEM_TIME' | 'EVENT_TIME' | 'USER_DEFINE';
	TimeRange: number;
	/** Ordered partition column → strftime pattern. */
	PartitionConfig: [string, string][];
	TimeZone: string;
	TimestampUnit: 'MICROSECOND' | 'MILLISECOND' | 'SECOND';
};

export type ConnectorRecord = {
	id: string;
	project: string;
	topic: string;
	type: 'sink_odps';
	state: 'CONNECTOR_RUNNING' | 'CONNECTOR_STOPPED';
	creator: string;
	owner: string;
	createTime: number;
	lastModifyTime: number;
	columnFields: string[];
	columnNameMap: Record<string, string>;
	config: OdpsSinkConfig;
	subscriptionId: string;
	/** Records written before this (ms) are skipped; -1 = from the oldest. */
	sinkStartTime: number;
	/** Partition column types read from the table at creation, e.g. `ds:STRING`. */
	partitionFields: string[];
	tableCreateTime: number;
	shards: Record<string, ShardContext>;
};

export type Catalog = {
	projects: Record<string, ProjectRecord>;
	topics: Record<string, TopicRecord>;
	connectors: Record<string, ConnectorRecord>;
};

export type StoredRecord = {
	sequence: number;
	systemTime: number;
	/** TUPLE: strings or nulls in schema order; BLOB: Base64 text. */
	data: (string | null)[] | string;
	attributes?: Record<string, string>;
};

/** A shard's records as far as they are on disk (and so visible); sequences run from 0 to `length - 1`. */
export type ShardLog = {
	readonly length: number;
	/** Bytes of the shard file. */
	readonly bytes: number;
	/** SystemTime (ms) of a record; undefined outside the log. */
	systemTime(sequence: number): number | undefined;
	/** Bytes the records [from, to) take in the shard file. */
	bytesBetween(from: number, to: number): number;
	/** The first record written at or after `time` (ms), or -1. */
	firstAtOrAfter(time: number): number;
	/** The records [from, to), read from the shard file; clamped to the log. */
	read(from: number, to: number): Promise<StoredRecord[]>;
};

/** Numbers that grow one at a time, in a typed array that doubles when full. */
class NumberColumn {
	#values = new Float64Array(1024);
	length = 0;

	push(value: number): void {
		if (this.length === this.#values.length) {
			const grown = new Float64Array(this.#values.length * 2);
			grown.set(this.#values);
			this.#values = grown;
		}

		this.#values[this.length++] = value;
	}

	at(index: number): number {
		return this.#values[index]!;
	}
}

class ShardFile implements ShardLog {
	readonly file: string;
	/** The sequence the next accepted record gets (records being appended are numbered but not visible yet). */
	next = 0;
	/** Byte offset of each record's line; one more entry than records, the file's end. */
	readonly #offsets = new NumberColumn();
	readonly #times = new NumberColumn();

	constructor(file: string) {
		this.file = file;
		this.#offsets.push(0);
	}

	get length(): number {
		return this.#times.length;
	}

	get bytes(): number {
		return this.#offsets.at(this.length);
	}

	/** Makes a record stored on disk visible. */
	add(systemTime: number, lineBytes: number): void {
		this.#offsets.push(this.bytes + lineBytes);
		this.#times.push(systemTime);
	}

	systemTime(sequence: number): number | undefined {
		return Number.isInteger(sequence) && sequence >= 0 && sequence < this.length ? this.#times.at(sequence) : undefined;
	}

	bytesBetween(from: number, to: number): number {
		const clamp = (sequence: number) => Math.min(Math.max(sequence, 0), this.length);
		return this.#offsets.at(clamp(to)) - this.#offsets.at(clamp(from));
	}

	firstAtOrAfter(time: number): number {
		// SystemTime follows the server clock, which may step back: scanned, not bisected.
		for (let sequence = 0; sequence < this.length; sequence++) {
			if (this.#times.at(sequence) >= time) return sequence;
		}

		return -1;
	}

	async read(from: number, to: number): Promise<StoredRecord[]> {
		const start = Math.max(0, from);
		const end = Math.min(to, this.length);
		if (start >= end) return [];
		const position = this.#offsets.at(start);
		const buffer = Buffer.allocUnsafe(this.#offsets.at(end) - position);
		const handle = await open(this.file, 'r');
		try {
			let filled = 0;
			while (filled < buffer.length) {
				const {bytesRead} = await handle.read(buffer, filled, buffer.length - filled, position + filled);
				if (bytesRead === 0) throw new Error(`${this.file}: ends before record ${end - 1}`);
				filled += bytesRead;
			}
		} finally {
			await handle.close();
		}

		const text = buffer.toString('utf8');
		const records: StoredRecord[] = [];
		let lineStart = 0;
		for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', lineStart)) {
			records.push(JSON.parse(text.slice(lineStart, newline)) as StoredRecord);
			lineStart = newline + 1;
		}

		return records;
	}
}

export const topicKey = (project: string, topic: string) => `${project.toLowerCase()}/${topic.toLowerCase()}`;

export type DataHubStore = {
	catalog: Catalog;
	saveCatalog(): Promise<void>;
	log(project: string, topic: string, shardId: string): ShardLog;
	/** Numbers the records, appends them whole to the shard file, then makes them visible; in call order. */
	append(project: string, topic: string, shardId: string, records: Omit<StoredRecord, 'sequence'>[]): Promise<StoredRecord[]>;
	dropTopicData(project: string, topic: string): Promise<void>;
	flush(): Promise<void>;
};

export async function openDataHubStore(directory: string): Promise<DataHubStore> {
	await mkdir(path.join(directory, 'shards'), {recursive: true, mode: 0o700});
	const catalogFile = path.join(directory, 'catalog.json');
	let catalog: Catalog = {projects: {}, topics: {}, connectors: {}};
	try {
		catalog = JSON.parse(await readFile(catalogFile, 'utf8')) as Catalog;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}

	const logs = new Map<string, ShardFile>();
	const appends = new Map<string, Promise<void>>();
	const shardFile = (project: string, topic: string, shardId: string) => path.join(directory, 'shards', project.toLowerCase(), topic.toLowerCase(), `${shardId}.jsonl`);
	const logKey = (project: string, topic: string, shardId: string) => `${topicKey(project, topic)}/${shardId}`;

	for (const topic of Object.values(catalog.topics)) {
		for (let shard = 0; shard < topic.shardCount; shard++) {
			logs.set(logKey(topic.project, topic.name, String(shard)), await loadLog(shardFile(topic.project, topic.name, String(shard))));
		}
	}

	function logOf(project: string, topic: string, shardId: string): ShardFile {
		const key = logKey(project, topic, shardId);
		let log = logs.get(key);
		if (!log) {
			log = new ShardFile(shardFile(project, topic, shardId));
			logs.set(key, log);
		}

		return log;
	}

	let catalogWrites = Promise.resolve();
	return {
		catalog,
		saveCatalog() {
			const snapshot = JSON.stringify(catalog);
			const write = async () => {
				const temporary = `${catalogFile}.${process.pid}.tmp`;
				await writeFile(temporary, snapshot, {mode: 0o600});
				await rename(temporary, catalogFile);
			};

			catalogWrites = catalogWrites.then(write, write);
			return catalogWrites;
		},
		log: logOf,
		append(project, topic, shardId, drafts) {
			const key = logKey(project, topic, shardId);
			const log = logOf(project, topic, shardId);
			const records = drafts.map(draft => ({sequence: log.next++, ...draft}));
			const lines = records.map(record => `${JSON.stringify(record)}\n`);
			const write = async () => {
				await mkdir(path.dirname(log.file), {recursive: true, mode: 0o700});
				await appendFile(log.file, lines.join(''), {mode: 0o600});
				// Visible only once on disk, so a reader (or the connector) never sees a record a kill could take back.
				for (const [index, record] of records.entries()) log.add(record.systemTime, Buffer.byteLength(lines[index]!));
			};

			const previous = appends.get(key) ?? Promise.resolve();
			const next = previous.then(write, write);
			appends.set(key, next);
			return next.then(() => records);
		},
		async dropTopicData(project, topic) {
			const prefix = `${topicKey(project, topic)}/`;
			await Promise.all([...appends.entries()].filter(([key]) => key.startsWith(prefix)).map(async ([, pending]) => pending.catch(() => undefined)));
			for (const key of [...logs.keys()]) {
				if (key.startsWith(prefix)) logs.delete(key);
			}

			await rm(path.join(directory, 'shards', project.toLowerCase(), topic.toLowerCase()), {recursive: true, force: true});
		},
		async flush() {
			await Promise.all([...appends.values()].map(async pending => pending.catch(() => undefined)));
			await catalogWrites.catch(() => undefined);
		},
	};
}

async function loadLog(file: string): Promise<ShardFile> {
	const log = new ShardFile(file);
	let rest: Buffer = Buffer.alloc(0);
	try {
		for await (const chunk of createReadStream(file, {highWaterMark: 1024 * 1024})) {
			const bytes = rest.length === 0 ? chunk as Buffer : Buffer.concat([rest, chunk as Buffer]);
			let lineStart = 0;
			for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, lineStart)) {
				const record = JSON.parse(bytes.toString('utf8', lineStart, newline)) as StoredRecord;
				if (record.sequence !== log.length) throw new Error(`${file}: sequence ${record.sequence} out of order`);
				log.add(record.systemTime, newline + 1 - lineStart);
				lineStart = newline + 1;
			}

			rest = bytes.subarray(lineStart);
		}
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return log;
		throw error;
	}

	if (rest.length > 0) {
		// A kill mid-append left a partial last line: it was never acknowledged, so drop it.
		await truncate(file, log.bytes);
	}

	log.next = log.length;
	return log;
}
