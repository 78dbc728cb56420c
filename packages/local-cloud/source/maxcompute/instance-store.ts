/**
 * MaxCompute instances of the stand-in, one JSON file each under `<dataDir>/instances`, written atomically after every
 * transition so an instance's status and result survive a restart of the stand-in.
 */
import {randomBytes} from 'node:crypto';
import {mkdir, readdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';

export type TaskState = 'Waiting' | 'Running' | 'Success' | 'Failed' | 'Cancelled';

export type InstanceRecord = {
	id: string;
	project: string;
	owner: string;
	sql: string;
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
	save(record: InstanceRecord): Promise<void>;
	all(): InstanceRecord[];
};

export async function openInstanceStore(directory: string): Promise<InstanceStore> {
	await mkdir(directory, {recursive: true, mode: 0o700});
	const records = new Map<string, InstanceRecord>();
	for (const name of await readdir(directory)) {
		if (!name.endsWith('.json')) {
			continue;
		}

		try {
			const record = JSON.parse(await readFile(path.join(directory, name), 'utf8')) as InstanceRecord;
			records.set(record.id, record);
		} catch {
			// A file cut short by a crash is the only way to get here (writes are atomic); skip it.
		}
	}

	let writes = Promise.resolve();
	return {
		get: id => records.get(id),
		all: () => [...records.values()],
		save(record) {
			records.set(record.id, record);
			const snapshot = JSON.stringify(record);
			const write = async () => {
				const file = path.join(directory, `${record.id}.json`);
				const temporary = `${file}.${process.pid}.tmp`;
				await writeFile(temporary, snapshot, {mode: 0o600});
				await rename(temporary, file);
			};

			writes = writes.then(write, write);
			return writes;
		},
	};
}
