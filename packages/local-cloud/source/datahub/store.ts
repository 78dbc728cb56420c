/**
 * What the DataHub stand-in keeps under its dataDir: `catalog.json` (projects, topics, connectors and their sync
 * progress), written whole and atomically (temp file + rename); and one append-only JSON-lines file per shard,
 * `shards/<project>/<topic>/<shardId>.jsonl`, one record per line. A line cut short by a kill is dropped on the next
 * start, so every record either exists whole or not at all.
 */
import {appendFile, mkdir, readFile, rename, rm, truncate, writeFile} from 'node:fs/promises';
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

/** `records` holds what is on disk; `next` is the sequence the next accepted record gets. */
export type ShardLog = {records: StoredRecord[]; bytes: number; next: number};

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

	const logs = new Map<string, ShardLog>();
	const appends = new Map<string, Promise<void>>();
	const shardFile = (project: string, topic: string, shardId: string) => path.join(directory, 'shards', project.toLowerCase(), topic.toLowerCase(), `${shardId}.jsonl`);
	const logKey = (project: string, topic: string, shardId: string) => `${topicKey(project, topic)}/${shardId}`;

	for (const topic of Object.values(catalog.topics)) {
		for (let shard = 0; shard < topic.shardCount; shard++) {
			logs.set(logKey(topic.project, topic.name, String(shard)), await loadLog(shardFile(topic.project, topic.name, String(shard))));
		}
	}

	function logOf(project: string, topic: string, shardId: string): ShardLog {
		const key = logKey(project, topic, shardId);
		let log = logs.get(key);
		if (!log) {
			log = {records: [], bytes: 0, next: 0};
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
			const file = shardFile(project, topic, shardId);
			const lines = records.map(record => JSON.stringify(record));
			const write = async () => {
				await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
				await appendFile(file, lines.map(line => `${line}\n`).join(''), {mode: 0o600});
				// Visible only once on disk, so a reader (or the connector) never sees a record a kill could take back.
				log.records.push(...records);
				log.bytes += lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
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

async function loadLog(file: string): Promise<ShardLog> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {records: [], bytes: 0, next: 0};
		throw error;
	}

	const complete = text.lastIndexOf('\n') + 1;
	if (complete < text.length) {
		// A kill mid-append left a partial last line: it was never acknowledged, so drop it.
		await truncate(file, Buffer.byteLength(text.slice(0, complete)));
	}

	const log: ShardLog = {records: [], bytes: 0, next: 0};
	for (const line of text.slice(0, complete).split('\n')) {
		if (line === '') continue;
		const record = JSON.parse(line) as StoredRecord;
		if (record.sequence !== log.records.length) throw new Error(`${file}: sequence ${record.sequence} out of order`);
		log.records.push(record);
		log.bytes += Buffer.byteLength(line);
	}

	log.next = log.records.length;
	return log;
}
