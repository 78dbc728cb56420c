import {mkdir, readFile, readdir, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';

export type StoredStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export type StoredColumn = {name: string; typeName: string; precision: number; scale: number; length: number; nullable: number; tableName: string; schemaName: string};

/** One SQL of a BatchExecuteStatement; its id is the batch's id with a `:n` suffix. */
export type StoredSubStatement = {
	id: string;
	queryString: string;
	status: StoredStatus;
	error?: string;
	createdAt: number;
	updatedAt: number;
	durationNs: number;
	hasResultSet: boolean;
	resultRows: number;
	resultSize: number;
	redshiftQueryId: number;
};

/**
 * A statement's record: what each of its SQLs has (the queryString with credentials blanked, as DescribeStatement
 * shows it), and where and by whom it ran.
 */
export type StoredStatement = StoredSubStatement & {
	startedAt?: number;
	redshiftPid: number;
	database: string;
	clusterIdentifier?: string;
	workgroupName?: string;
	dbUser?: string;
	secretArn?: string;
	clientToken?: string;
	cancelRequested?: boolean;
	statementName?: string;
	queryParameters?: Array<{name: string; value: string}>;
	/** BatchExecuteStatement: the statements, in order. */
	subStatements?: StoredSubStatement[];
};

export type StoredResult = {columns: StoredColumn[]; rows: Array<Array<string | null>>};

/** One small JSON file per statement (and one per result), written atomically, so ids survive a restart. */
export class StatementStore {
	readonly #directory: string;
	readonly #statements = new Map<string, StoredStatement>();
	#lastQueryId = 0;

	constructor(directory: string) {
		this.#directory = directory;
	}

	async load(): Promise<void> {
		await mkdir(this.#directory, {recursive: true});
		for (const name of await readdir(this.#directory)) {
			if (!name.endsWith('.statement.json')) {
				continue;
			}

			const statement = JSON.parse(await readFile(path.join(this.#directory, name), 'utf8')) as StoredStatement;
			this.#statements.set(statement.id, statement);
			this.#lastQueryId = Math.max(this.#lastQueryId, statement.redshiftQueryId);
			if (statement.status === 'SUBMITTED' || statement.status === 'PICKED' || statement.status === 'STARTED') {
				// The engine stopped under it; a cluster restart aborts running queries the same way.
				const subStatements = statement.subStatements?.map(sub => (sub.status === 'FINISHED' || sub.status === 'FAILED' ? sub : {...sub, status: 'ABORTED' as const}));
				await this.save({...statement, status: 'ABORTED', error: 'Query was aborted because the cluster restarted', updatedAt: Date.now(), ...(subStatements ? {subStatements} : {})});
			}
		}
	}

	nextQueryId(): number {
		this.#lastQueryId++;
		return this.#lastQueryId;
	}

	get(id: string): StoredStatement | undefined {
		return this.#statements.get(id);
	}

	all(): StoredStatement[] {
		return [...this.#statements.values()];
	}

	findByClientToken(token: string): StoredStatement | undefined {
		return [...this.#statements.values()].find(statement => statement.clientToken === token);
	}

	async save(statement: StoredStatement): Promise<void> {
		this.#statements.set(statement.id, statement);
		await this.#writeAtomically(`${statement.id}.statement.json`, JSON.stringify(statement));
	}

	async saveResult(id: string, result: StoredResult): Promise<void> {
		await this.#writeAtomically(`${id}.result.json`, JSON.stringify(result));
	}

	async readResult(id: string): Promise<StoredResult | undefined> {
		try {
			return JSON.parse(await readFile(path.join(this.#directory, `${id}.result.json`), 'utf8')) as StoredResult;
		} catch {
			return undefined;
		}
	}

	async #writeAtomically(name: string, text: string): Promise<void> {
		const file = path.join(this.#directory, name);
		const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
		await writeFile(temporary, text);
		await rename(temporary, file);
	}
}
