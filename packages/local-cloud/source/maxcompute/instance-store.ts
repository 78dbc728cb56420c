/**
 * MaxCompute instances of the stand-in, one JSON file each under `<dataDir>/instances`, written atomically after every
 * transition so an instance's status and result survive a restart of the stand-in. An instance's SQL (up to 2 MB,
 * MaxCompute's limit on a statement) is written once beside it, `<id>.sql`, and read when the instance runs: memory and
 * the status writes hold the small record only.
 */
import {randomBytes} from 'node:crypto';
import {mkdir, readdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';

export type TaskState = 'Waiting' | 'Running' | 'Success' | 'Failed' | 'Cancelled';

export type InstanceRecord = {
	id: string;
	project: string;
	owner: string;
	settings: Record<string, string>;
	priority: number;
	taskName: string;
	taskState: TaskState;
	createdAt: string;
	startedAt?: string;
	endedAt?: string;
	/** The task result text: CSV for a SELECT, a message for other statements, the ODPS error for a failure. */
	resultText?: string;
	resultFormat?: 'csv' | 'text';
	/** JSON text of the ResultDescriptor (`IsSelect`, `SelectResultStatus`). */
	resultDescriptor?: string;
};

export function instanceStatus(record: InstanceRecord): 'Running' | 'Terminated' {
	return record.taskState === 'Waiting' || record.taskState === 'Running' ? 'Running' : 'Terminated';
}

/** Ids look like the service's: a UTC timestamp to the millisecond, then a short random tail. */
export function newInstanceId(now = new Date()): string {
	const stamp = now.toISOString().replaceAll(/[-:TZ.]/g, '');
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	const tail = [...randomBytes(9)].map(byte => alphabet[byte % alphabet.length]).join('');
	return `${stamp}g${tail}`;
}

export type InstanceStore = {
	get(id: string): InstanceRecord | undefined;
	/** A new instance: its SQL is on disk before its record is. */
	create(record: InstanceRecord, sql: string): Promise<void>;
	save(record: InstanceRecord): Promise<void>;
	sql(id: string): Promise<string>;
	all(): InstanceRecord[];
};

async function writeAtomically(file: string, text: string): Promise<void> {
	const temporary = `${file}.${process.pid}.tmp`;
	await writeFile(temporary, text, {mode: 0o600});
	await rename(temporary, file);
}

export async function openInstanceStore(directory: string): Promise<InstanceStore> {
	await mkdir(directory, {recursive: true, mode: 0o700});
	const records = new Map<string, InstanceRecord>();
	const sqlFile = (id: string) => path.join(directory, `${id}.sql`);
	for (const name of await readdir(directory)) {
		if (!name.endsWith('.json')) {
			continue;
		}

		try {
			const {sql, ...record} = JSON.parse(await readFile(path.join(directory, name), 'utf8')) as InstanceRecord & {sql?: string};
			if (sql !== undefined) {
				// Written before the SQL moved to its own file.
				await writeAtomically(sqlFile(record.id), sql);
				await writeAtomically(path.join(directory, name), JSON.stringify(record));
			}

			records.set(record.id, record);
		} catch {
			// A file cut short by a crash is the only way to get here (writes are atomic); skip it.
		}
	}

	let writes = Promise.resolve();
	const queue = (write: () => Promise<void>) => {
		writes = writes.then(write, write);
		return writes;
	};

	const save = async (record: InstanceRecord) => {
		records.set(record.id, record);
		const snapshot = JSON.stringify(record);
		return queue(async () => writeAtomically(path.join(directory, `${record.id}.json`), snapshot));
	};

	return {
		get: id => records.get(id),
		all: () => [...records.values()],
		async create(record, sql) {
			await queue(async () => writeAtomically(sqlFile(record.id), sql));
			await save(record);
		},
		save,
		sql: async id => readFile(sqlFile(id), 'utf8'),
	};
}
