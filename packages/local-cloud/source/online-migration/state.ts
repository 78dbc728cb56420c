/** The Data Online Migration stand-in's records, kept in one JSON file under its data dir with atomic writes. */
import {randomUUID} from 'node:crypto';
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';

export type AddressDetailRecord = {
	AddressType: string;
	Bucket: string;
	Prefix: string;
	Domain?: string;
	RegionId?: string;
	AccessId?: string;
	AccessSecret?: string;
	Role?: string;
};

export type VerifyRecord = {status: string; httpCode: string; errorCode: string; errorMessage: string; time: string};

export type AddressRecord = {
	name: string;
	detail: AddressDetailRecord;
	createTime: string;
	modifyTime: string;
	version: string;
	verify?: VerifyRecord;
};

export type RunRecord = {
	runtimeId: number;
	status: string;
	listStatus: string;
	totalCount: number;
	totalSize: number;
	copiedCount: number;
	copiedSize: number;
	failedCount: number;
	skippedCount: number;
	message: string;
	startTime: string;
	endTime?: string;
	failedKeys: string[];
	reportCreateTime?: string;
};

export type JobRecord = {
	name: string;
	srcAddress: string;
	destAddress: string;
	overwriteMode: string;
	transferMode: string;
	createReport: boolean;
	status: string;
	version: string;
	createTime: string;
	modifyTime: string;
	runs: RunRecord[];
};

export type StandInState = {addresses: Record<string, AddressRecord>; jobs: Record<string, JobRecord>};

export class StateFile {
	readonly #file: string;
	#writing: Promise<void> = Promise.resolve();
	state: StandInState = {addresses: {}, jobs: {}};

	constructor(dataDir: string) {
		this.#file = path.join(dataDir, 'online-migration.json');
	}

	async open(): Promise<void> {
		await mkdir(path.dirname(this.#file), {recursive: true});
		try {
			this.state = JSON.parse(await readFile(this.#file, 'utf8')) as StandInState;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw error;
			}
		}
	}

	/** Serialised so two writes never interleave; the rename makes each one atomic. */
	async save(): Promise<void> {
		const text = JSON.stringify(this.state, undefined, '\t');
		const write = async () => {
			const temporary = `${this.#file}.${randomUUID()}.tmp`;
			await writeFile(temporary, text, {mode: 0o600});
			await rename(temporary, this.#file);
		};

		this.#writing = this.#writing.then(write, write);
		await this.#writing;
	}
}
