import {OdpsError, type SourcePosition} from './odps-error.js';
import type {Token} from './tokenizer.js';

function positionOfName(tokens: Token[], name: string): SourcePosition | undefined {
	const wanted = name.toLowerCase().replace(/^"|"$/g, '');
	const token = tokens.find(candidate => candidate.value === wanted || candidate.value.toLowerCase() === wanted);
	return token === undefined ? undefined : {line: token.line, column: token.column};
}

/** Re-words a DuckDB error about translated SQL as the MaxCompute compiler would report it for the original text. */
export function mapDuckdbError(error: unknown, tokens: Token[], project: string): OdpsError {
	if (error instanceof OdpsError) return error;
	const message = error instanceof Error ? error.message : String(error);
	const firstLine = message.split('\n')[0]!;
	const start = tokens[0] === undefined ? undefined : {line: tokens[0].line, column: tokens[0].column};

	const missingTable = /Table with name "?([^"\s!]+)"? does not exist/.exec(firstLine);
	if (missingTable) {
		const name = missingTable[1]!.toLowerCase();
		return new OdpsError('tableNotFound', `table ${project}.${name} cannot be resolved`, positionOfName(tokens, name) ?? start);
	}
	const missingColumn = /Referenced column "?([^"\s]+)"? not found/.exec(firstLine) ?? /column "?([^"\s]+)"? not found/i.exec(firstLine);
	if (missingColumn) {
		const name = missingColumn[1]!;
		return new OdpsError('semanticAnalysis', `column ${name.toLowerCase()} cannot be resolved`, positionOfName(tokens, name) ?? start);
	}
	const missingFunction = /Function with name "?([^"\s]+)"? does not exist/i.exec(firstLine);
	if (missingFunction) {
		const name = missingFunction[1]!;
		return new OdpsError('semanticAnalysis', `function or view ${name.toLowerCase()} cannot be resolved`, positionOfName(tokens, name) ?? start);
	}
	const groupBy = /column "?([^"\s]+)"? must appear in the GROUP BY clause/.exec(firstLine);
	if (groupBy) {
		const name = groupBy[1]!;
		return new OdpsError('semanticAnalysis', `column reference ${name.toLowerCase()} should appear in GROUP BY key`, positionOfName(tokens, name) ?? start);
	}
	const syntax = /syntax error at or near "(.*)"/.exec(firstLine);
	if (syntax) return new OdpsError('parse', `invalid token '${syntax[1]}'`, positionOfName(tokens, syntax[1]!) ?? start);
	if (/^Parser Error/.test(firstLine)) return new OdpsError('parse', firstLine.replace(/^Parser Error: /, ''), start);
	if (/^(Conversion|Invalid Input|Out of Range) Error/.test(firstLine)) {
		return new OdpsError('runtime', firstLine.replace(/^[A-Za-z ]+Error: /, ''));
	}
	return new OdpsError('semanticAnalysis', firstLine.replace(/^[A-Za-z ]+Error: /, ''), start);
}
