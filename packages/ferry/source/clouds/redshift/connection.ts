/** What ferry needs from Redshift, whichever way it is reached (Data API or the PostgreSQL wire protocol). */
export type ResultColumn = {
	name: string;
	/** Redshift's type name as the driver reports it, e.g. `numeric`, `varchar`, `int8`. */
	typeName: string;
	precision: number;
	scale: number;
};

/** DECIMAL, dates and timestamps are exact strings; 64-bit integers beyond 2^53 stay strings. */
export type ResultValue = string | number | boolean | null;

export type QueryResult = {
	columns: ResultColumn[];
	rows: ResultValue[][];
};

export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export type StatementDescription = {
	id: string;
	status: StatementStatus;
	error?: string;
	hasResultSet: boolean;
	resultRows: number;
	durationMs?: number;
	redshiftQueryId?: number;
};

export type CallOptions = {signal?: AbortSignal};

export type WaitOptions = CallOptions & {onStatus?: (description: StatementDescription) => void};

export type RedshiftConnection = {
	readonly kind: 'data-api' | 'pg';
	/** Starts a statement. The Data API returns its id at once; pg runs it to the end and returns no id. */
	execute(sql: string, options?: CallOptions): Promise<{statementId?: string}>;
	/** Polls until the statement ends; FAILED or ABORTED throw a ServiceError with Redshift's text. */
	waitFor(statementId: string, options?: WaitOptions): Promise<StatementDescription>;
	/** Runs a statement that returns rows and reads every page of its result. */
	query(sql: string, options?: CallOptions): Promise<QueryResult>;
	cancel(statementId: string, options?: CallOptions): Promise<void>;
	whoami(options?: CallOptions): Promise<{user: string; database: string}>;
	close(): Promise<void>;
};

/** A connection that can pick up a statement started before a crash (Data API only). */
export type AttachableRedshiftConnection = Omit<RedshiftConnection, 'execute'> & {
	execute(sql: string, options?: CallOptions): Promise<{statementId: string}>;
	attach(statementId: string, options?: CallOptions): Promise<StatementDescription>;
};

export async function whoamiThrough(connection: Pick<RedshiftConnection, 'query'>, options?: CallOptions): Promise<{user: string; database: string}> {
	const result = await connection.query('select current_user, current_database()', options);
	const row = result.rows[0];
	return {user: String(row?.[0] ?? ''), database: String(row?.[1] ?? '')};
}
