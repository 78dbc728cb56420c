/**
 * SQL errors worded like MaxCompute's: `ODPS-<code>:[line,col] <general description> - <context>`.
 * The general description is fixed per code (doc "SQL error codes (ODPS-01CCCCX)", help.aliyun.com/document_detail/64654).
 */
export const odpsErrorCodes = {
	semanticAnalysis: {code: 'ODPS-0130071', description: 'Semantic analysis exception'},
	tableNotFound: {code: 'ODPS-0130131', description: 'Table not found'},
	parse: {code: 'ODPS-0130161', description: 'Parse exception'},
	// "Table or view already exists - table or view <p>.<t> is already defined"; the code number is from memory of the
	// SQL error list (verify): the wording is what SDK users quote (e.g. goto/optimus maxcompute tests).
	tableAlreadyExists: {code: 'ODPS-0130211', description: 'Table or view already exists'},
	userDefinedFunction: {code: 'ODPS-0123131', description: 'User defined function exception'},
	runtime: {code: 'ODPS-0121095', description: 'Invalid argument'},
	// A job that failed while running, e.g. `ODPS-0010000:System internal error - fuxi job failed, caused by: Status:
	// 403, RequestId: …, ErrorCode: …, Message: …` for an OSS object it could not read (developer.aliyun.com/ask/501502).
	systemInternal: {code: 'ODPS-0010000', description: 'System internal error'},
	authorization: {code: 'ODPS-0130013', description: 'Authorization exception'},
	// "ODPS-0123031:Partition exception - invalid dynamic partition value: province=xxx" (doc "Insert or overwrite data
	// into dynamic partitions").
	partition: {code: 'ODPS-0123031', description: 'Partition exception'},
} as const;

export type OdpsErrorKind = keyof typeof odpsErrorCodes;

export type SourcePosition = {line: number; column: number};

export class OdpsError extends Error {
	readonly code: string;

	constructor(kind: OdpsErrorKind, context: string, position?: SourcePosition) {
		const {code, description} = odpsErrorCodes[kind];
		const where = position === undefined ? '' : `[${position.line},${position.column}] `;
		super(`${code}:${where}${description} - ${context}`);
		this.name = 'OdpsError';
		this.code = code;
	}
}
