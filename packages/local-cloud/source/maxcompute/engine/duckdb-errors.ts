import {OdpsError, type SourcePosition} from './odps-error.js';
import {isSymbol, type Token} from './tokenizer.js';

function positionOfName(tokens: Token[], name: string): SourcePosition | undefined {
	const wanted = name.toLowerCase().replace(/^"|"$/g, '');
	const token = tokens.find(candidate => candidate.value === wanted || candidate.value.toLowerCase() === wanted);
	return token === undefined ? undefined : {line: token.line, column: token.column};
}

/**
 * `Table not found` for a name DuckDB could not find. A name written as `other_project.t` in the source keeps its project
 * and points at it, as the service reports tables of other projects (see `tableNotFoundIn` in engine.ts).
 */
function tableNotFound(written: string, tokens: Token[], project: string, start: SourcePosition | undefined): OdpsError {
	const name = written.toLowerCase().split('.').at(-1)!;
	const index = tokens.findIndex(token => (token.kind === 'word' || token.kind === 'quoted-identifier') && token.value === name);
	const token = tokens[index];
	const qualifier = index >= 2 && isSymbol(tokens[index - 1], '.') ? tokens[index - 2] : undefined;
	if (token !== undefined && qualifier !== undefined && qualifier.value !== project.toLowerCase()) {
		return new OdpsError('tableNotFound', `table ${qualifier.value}.${name} cannot be resolved`, {line: qualifier.line, column: qualifier.column});
	}

	const position = token === undefined ? start : {line: token.line, column: token.column};
	return new OdpsError('tableNotFound', `table ${project}.${name} cannot be resolved`, position);
}

/** Re-words a DuckDB error about translated SQL as the MaxCompute compiler would report it for the original text. */
export function mapDuckdbError(error: unknown, tokens: Token[], project: string): OdpsError {
	if (error instanceof OdpsError) return error;
	const message = error instanceof Error ? error.message : String(error);
	const firstLine = message.split('\n')[0]!;
	const start = tokens[0] === undefined ? undefined : {line: tokens[0].line, column: tokens[0].column};

	const missingTable = /Table with name "?([^"\s!]+)"? does not exist/.exec(firstLine);
	if (missingTable) return tableNotFound(missingTable[1]!, tokens, project, start);
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
