/**
 * Compares the results of one query pair: rows aligned by their key columns, every value cell compared by the
 * rule its column calls for (exact for DECIMAL and integers, a stated tolerance for floating and AVG columns,
 * instants for timestamps), and every difference given an amount and, when recognisable, a likely cause.
 */
import {
	type Decimal,
	compareDecimals,
	formatDecimal,
	rescaleDecimal,
	subtractDecimals,
	withinRelativeTolerance,
} from './decimal.js';
import {
	type ColumnKind,
	type NormalValue,
	displayValue,
	inferKind,
	kindOfType,
	normaliseValue,
	parseTimestamp,
} from './normalise.js';
import {type CheckOutcome, type NotCompared, type NotComparedCause, type SideErrorKind, checkOutcome, notComparedOf} from './outcome.js';
import {type QueryPair, type QueryPairKind, type RowCountCauses, defaultDialects, defaultRelativeTolerance} from './query-pair.js';

export type ResultColumn = {name: string; type?: string};
export type QueryResult = {columns: ResultColumn[]; rows: unknown[][]};
/** A side that gave no result: `kind` says why (interrupted, the service refused the query, or the side failed). */
export type QueryFailure = {error: {message: string; code?: string; kind?: NotComparedCause}};
export type QueryOutcome = QueryResult | QueryFailure;

/** How a cell's equality was decided. */
export type CellRule = 'exact' | 'tolerance' | 'shorter-scale' | 'single-precision' | 'instant' | 'char-padding' | 'text';

export type CellComparison = {
	column: string;
	/** The values as each engine returned them; `NULL` for NULL. */
	source: string;
	target: string;
	equal: boolean;
	rule: CellRule;
	/** target − source, for numbers and timestamps. */
	difference?: string;
	cause?: string;
};

export type RowComparison = {key: string[]; cells: CellComparison[]; equal: boolean};
export type UnmatchedRow = {key: string[]; cause: string};
export type SideError = {side: 'source' | 'target'; message: string; cause?: string; kind: SideErrorKind};

export type QueryComparison = {
	id: string;
	title: string;
	kind: QueryPairKind;
	keyColumns: string[];
	valueColumns: string[];
	approximateColumns: string[];
	tolerance: {relative: number};
	/** The comparison rules in a sentence or three, for the report. */
	rule: string;
	sourceRowCount?: number;
	targetRowCount?: number;
	rows: RowComparison[];
	/** Rows only in the source. */
	missingRows: UnmatchedRow[];
	/** Rows only in the target. */
	extraRows: UnmatchedRow[];
	missingColumns: string[];
	extraColumns: string[];
	duplicateKeys: string[][];
	errors: SideError[];
	/** The check's outcome (see outcome.ts): equal, differs, or not compared. */
	outcome: CheckOutcome;
	/** Why it was not compared, when it was not. */
	notCompared?: NotCompared;
	/** `outcome === 'equal'`, kept for readers of older reports. */
	equal: boolean;
};

const tableMissingPattern = /ODPS-0130131|table not found|does not exist|no such table|NoSuchTable/i;
const nanosPerSecond = 1_000_000_000n;
const nanosPerMinute = 60n * nanosPerSecond;
const nanosPerHour = 60n * nanosPerMinute;
/** Zone offsets from UTC are whole quarter hours, at most 14 h; naive values are taken as UTC, so the gap is one offset. */
const zoneStep = 15n * nanosPerMinute;
const largestZoneGap = 14n * nanosPerHour;
const nanosPerDay = 24n * nanosPerHour;

type ColumnSpec = {
	name: string;
	sourceIndex: number;
	targetIndex: number;
	kind: ColumnKind | undefined;
	approximate: boolean;
	singlePrecision: boolean;
	/** A side whose declared type is floating: its digit count says nothing about a scale. */
	sourceIsFloat: boolean;
	targetIsFloat: boolean;
};

const kindPriority: readonly ColumnKind[] = ['float', 'float32', 'exact-number', 'boolean', 'timestamp', 'char', 'string'];

function resolveKind(sourceKind: ColumnKind | undefined, targetKind: ColumnKind | undefined): ColumnKind | undefined {
	const declared = [sourceKind, targetKind].filter((kind): kind is ColumnKind => kind !== undefined);
	if (declared.length === 0) {
		return undefined;
	}

	const numeric = declared.some(kind => kind === 'exact-number' || kind === 'float' || kind === 'float32');
	if (numeric) {
		return 'exact-number';
	}

	return [...declared].sort((a, b) => kindPriority.indexOf(a) - kindPriority.indexOf(b))[0];
}

function isFloatKind(kind: ColumnKind | undefined): boolean {
	return kind === 'float' || kind === 'float32';
}

function signed(text: string): string {
	return text.startsWith('-') ? text : `+${text}`;
}

function formatDuration(nanos: bigint): string {
	const sign = nanos < 0n ? '-' : '+';
	const magnitude = nanos < 0n ? -nanos : nanos;
	if (magnitude % nanosPerHour === 0n) {
		return `${sign}${magnitude / nanosPerHour} h`;
	}

	if (magnitude % nanosPerMinute === 0n) {
		const hours = magnitude / nanosPerHour;
		const minutes = (magnitude % nanosPerHour) / nanosPerMinute;
		return hours > 0n ? `${sign}${hours} h ${minutes} min` : `${sign}${minutes} min`;
	}

	return `${sign}${formatDecimal({coefficient: magnitude, scale: 9}, {trimTrailingZeros: true})} s`;
}

function rowCountCause(source: Decimal, target: Decimal, causes: RowCountCauses = {}): string | undefined {
	if (source.scale !== 0 || target.scale !== 0 || source.coefficient < 0n || target.coefficient < 0n) {
		return undefined;
	}

	const sourceRows = source.coefficient;
	const targetRows = target.coefficient;
	if (sourceRows > 0n && targetRows === 0n) {
		return `the target table is empty: ${causes.empty ?? 'nothing was written to it'}`;
	}

	if (sourceRows > 0n && targetRows > sourceRows && targetRows % sourceRows === 0n) {
		const times = targetRows / sourceRows;
		return `the target holds exactly ${times}× the source rows: ${(causes.repeated ?? 'the data was written {times} times').replaceAll('{times}', String(times))}`;
	}

	if (targetRows > sourceRows) {
		return `the target has ${targetRows - sourceRows} more rows: ${causes.more ?? 'duplicates, or rows written there by something else'}`;
	}

	return `the target has ${sourceRows - targetRows} fewer rows: ${causes.fewer ?? 'rows not written (yet)'}`;
}

/** Equal when the value with more fractional digits, cut or rounded to the other's digits, equals the other. */
function agreesAtShorterScale(source: Decimal, target: Decimal, allowSource: boolean, allowTarget: boolean): boolean {
	if (source.scale === target.scale) {
		return false;
	}

	const [shorter, longer, allowed] = source.scale < target.scale ? [source, target, allowSource] : [target, source, allowTarget];
	if (!allowed) {
		return false;
	}

	return compareDecimals(rescaleDecimal(longer, shorter.scale, 'truncate'), shorter) === 0
		|| compareDecimals(rescaleDecimal(longer, shorter.scale, 'half-up'), shorter) === 0;
}

function compareNumbers(spec: ColumnSpec, pairKind: QueryPairKind, relative: number, source: NormalValue, target: NormalValue, causes: RowCountCauses | undefined): Omit<CellComparison, 'column' | 'source' | 'target'> | undefined {
	if (source.kind === 'special-float' || target.kind === 'special-float') {
		const same = source.kind === target.kind && source.kind === 'special-float' && target.kind === 'special-float' && source.text === target.text;
		return {equal: same, rule: 'exact'};
	}

	if (source.kind !== 'number' || target.kind !== 'number') {
		return undefined;
	}

	if (compareDecimals(source.value, target.value) === 0) {
		return {equal: true, rule: 'exact'};
	}

	const difference = signed(formatDecimal(subtractDecimals(target.value, source.value), {trimTrailingZeros: true}));
	if (spec.approximate) {
		if (withinRelativeTolerance(source.value, target.value, relative)) {
			return {equal: true, rule: 'tolerance', difference};
		}

		// A float side's digit count is an artefact of printing, so only a decimal side's scale may be the shorter one.
		if (agreesAtShorterScale(source.value, target.value, !spec.sourceIsFloat, !spec.targetIsFloat)) {
			return {equal: true, rule: 'shorter-scale', difference};
		}

		if (spec.singlePrecision && Math.fround(Number(source.text)) === Math.fround(Number(target.text))) {
			return {equal: true, rule: 'single-precision', difference};
		}

		return {equal: false, rule: 'tolerance', difference, cause: `differs by more than the relative tolerance ${relative}`};
	}

	let cause: string | undefined;
	if (pairKind === 'row-count') {
		cause = rowCountCause(source.value, target.value, causes);
	} else if (agreesAtShorterScale(source.value, target.value, true, true)) {
		const digits = Math.min(source.value.scale, target.value.scale);
		cause = `precision lost: equal when cut to ${digits} fractional digit${digits === 1 ? '' : 's'} (a narrower DECIMAL scale on one side)`;
	}

	return {equal: false, rule: 'exact', difference, ...(cause === undefined ? {} : {cause})};
}

function compareTimestamps(source: NormalValue, target: NormalValue): Omit<CellComparison, 'column' | 'source' | 'target'> | undefined {
	if (source.kind !== 'timestamp' || target.kind !== 'timestamp') {
		return undefined;
	}

	const gap = target.epochNanos - source.epochNanos;
	if (gap === 0n) {
		return {equal: true, rule: 'instant'};
	}

	const difference = formatDuration(gap);
	const magnitude = gap < 0n ? -gap : gap;
	if (magnitude % zoneStep === 0n && magnitude <= largestZoneGap) {
		return {equal: false, rule: 'instant', difference, cause: `time zone: the values are ${difference} apart, a whole zone offset (a zone dropped on one side and applied on the other)`};
	}

	if (magnitude === nanosPerDay && (source.dateOnly || target.dateOnly)) {
		return {equal: false, rule: 'instant', difference, cause: 'a date shifted by one day: a timestamp was moved through a time zone before it was cut to a date'};
	}

	const precision = Math.min(source.precision, target.precision);
	const unit = 10n ** BigInt(9 - precision);
	const cut = (nanos: bigint) => nanos - (((nanos % unit) + unit) % unit);
	if (cut(source.epochNanos) === cut(target.epochNanos)) {
		return {equal: false, rule: 'instant', difference, cause: `precision lost: equal at ${precision} fractional second digit${precision === 1 ? '' : 's'} (e.g. µs stored as ms)`};
	}

	return {equal: false, rule: 'instant', difference};
}

function compareText(source: unknown, target: unknown, kind: ColumnKind | undefined): Omit<CellComparison, 'column' | 'source' | 'target'> {
	const left = displayValue(source);
	const right = displayValue(target);
	if (left === right) {
		return {equal: true, rule: 'text'};
	}

	if (left.trimEnd() === right.trimEnd()) {
		return kind === 'char'
			? {equal: true, rule: 'char-padding'}
			: {equal: false, rule: 'text', cause: 'trailing blanks differ (CHAR padding kept on one side)'};
	}

	if (left.normalize('NFC') === right.normalize('NFC')) {
		return {equal: false, rule: 'text', cause: 'the same text in a different Unicode normalisation'};
	}

	if (left.toLowerCase() === right.toLowerCase()) {
		return {equal: false, rule: 'text', cause: 'letter case differs'};
	}

	return {equal: false, rule: 'text'};
}

function nullCause(present: unknown): string {
	if (present === '') {
		return 'NULL on one side, an empty string on the other (a NULL marker lost in a text round trip)';
	}

	if (present === '\\N') {
		return '\\N on one side: the NULL marker of a text result was not decoded';
	}

	return 'NULL on one side only';
}

function compareCell(spec: ColumnSpec, pairKind: QueryPairKind, relative: number, sourceValue: unknown, targetValue: unknown, causes?: RowCountCauses): CellComparison {
	const base = {column: spec.name, source: displayValue(sourceValue), target: displayValue(targetValue)};
	const sourceNull = sourceValue === null || sourceValue === undefined;
	const targetNull = targetValue === null || targetValue === undefined;
	if (sourceNull || targetNull) {
		return sourceNull && targetNull
			? {...base, equal: true, rule: 'exact'}
			: {...base, equal: false, rule: 'exact', cause: nullCause(sourceNull ? targetValue : sourceValue)};
	}

	const kind = spec.approximate ? 'exact-number' : (spec.kind ?? inferKind(sourceValue, targetValue));
	const source = normaliseValue(sourceValue, kind);
	const target = normaliseValue(targetValue, kind);
	const outcome = compareNumbers(spec, pairKind, relative, source, target, causes)
		?? compareTimestamps(source, target)
		?? (source.kind === 'boolean' && target.kind === 'boolean' ? {equal: source.value === target.value, rule: 'exact' as const} : undefined)
		?? compareText(sourceValue, targetValue, kind);
	return {...base, ...outcome};
}

/** A key cell's canonical spelling: numbers by value, timestamps by instant, CHAR without its padding. */
function keyPart(value: unknown, kind: ColumnKind | undefined): string {
	if (value === null || value === undefined) {
		return 'null';
	}

	const normal = normaliseValue(value, kind);
	switch (normal.kind) {
		case 'number': {
			return `n:${formatDecimal(normal.value, {trimTrailingZeros: true})}`;
		}

		case 'timestamp': {
			return `t:${normal.epochNanos}`;
		}

		case 'boolean': {
			return `b:${normal.value}`;
		}

		case 'special-float': {
			return `f:${normal.text}`;
		}

		case 'string': {
			if (kind === undefined) {
				const timestamp = parseTimestamp(normal.value);
				if (timestamp) {
					return `t:${timestamp.epochNanos}`;
				}

				const number = normaliseValue(normal.value, 'exact-number');
				if (number.kind === 'number') {
					return `n:${formatDecimal(number.value, {trimTrailingZeros: true})}`;
				}
			}

			return `s:${kind === 'char' ? normal.value.trimEnd() : normal.value}`;
		}

		case 'null': {
			return 'null';
		}
	}
}

function isFailure(outcome: QueryOutcome): outcome is QueryFailure {
	return 'error' in outcome;
}

export function describeRule(pair: QueryPair): string {
	const relative = pair.tolerance?.relative ?? defaultRelativeTolerance;
	const alignment = pair.keyColumns.length > 0 ? `Rows aligned by ${pair.keyColumns.join(', ')} (column names case-insensitive).` : 'Rows aligned by position.';
	const approximate = pair.approximateColumns?.length ? `${pair.approximateColumns.join(', ')} and floating-point columns` : 'Floating-point columns';
	return [
		alignment,
		'DECIMAL and integer values compare exactly by value (38250854.00 equals 38250854.000000000000000000).',
		`${approximate} are equal within a relative tolerance of ${relative} (|target − source| ≤ ${relative} × the larger magnitude),`
		+ ' or when the value with more fractional digits, truncated or rounded half away from zero to the other\'s digits, equals it'
		+ ((pair.dialects ?? defaultDialects).source === 'redshift' ? ' (Redshift keeps the argument\'s scale in AVG of a DECIMAL and truncates AVG of integers; MaxCompute returns more digits).' : '.'),
		'Timestamps compare as instants; a value written without a zone is taken as UTC, and a date as its midnight.',
		'NULL differs from the empty string; CHAR values ignore trailing blanks.',
	].join(' ');
}

export function compareResults(pair: QueryPair, sourceOutcome: QueryOutcome, targetOutcome: QueryOutcome): QueryComparison {
	const relative = pair.tolerance?.relative ?? defaultRelativeTolerance;
	const kind = pair.kind ?? 'query';
	const comparison: QueryComparison = {
		id: pair.id,
		title: pair.title,
		kind,
		keyColumns: [...pair.keyColumns],
		valueColumns: [],
		approximateColumns: [...(pair.approximateColumns ?? [])],
		tolerance: {relative},
		rule: describeRule(pair),
		rows: [],
		missingRows: [],
		extraRows: [],
		missingColumns: [],
		extraColumns: [],
		duplicateKeys: [],
		errors: [],
		outcome: 'not-compared',
		equal: false,
	};

	if (isFailure(sourceOutcome)) {
		comparison.errors.push({side: 'source', message: sourceOutcome.error.message, kind: sourceOutcome.error.kind ?? 'query-failed'});
	}

	if (isFailure(targetOutcome)) {
		const kind = targetOutcome.error.kind ?? 'query-failed';
		// A target that answers "no such table" while the source answered is a finding about the data, not a failed check.
		const missing = kind === 'query-failed' && !isFailure(sourceOutcome) && tableMissingPattern.test(`${targetOutcome.error.code ?? ''} ${targetOutcome.error.message}`);
		comparison.errors.push({
			side: 'target',
			message: targetOutcome.error.message,
			kind: missing ? 'missing-table' : kind,
			...(missing ? {cause: 'the table is missing on the target: the create-table or LOAD step failed'} : {}),
		});
	}

	if (isFailure(sourceOutcome) || isFailure(targetOutcome)) {
		return decide(comparison);
	}

	comparison.sourceRowCount = sourceOutcome.rows.length;
	comparison.targetRowCount = targetOutcome.rows.length;
	const targetIndexByName = new Map(targetOutcome.columns.map((column, index) => [column.name.toLowerCase(), index]));
	const sourceIndexByName = new Map(sourceOutcome.columns.map((column, index) => [column.name.toLowerCase(), index]));
	const approximate = new Set(comparison.approximateColumns.map(name => name.toLowerCase()));
	const dialects = pair.dialects ?? defaultDialects;

	const specs: ColumnSpec[] = [];
	for (const [sourceIndex, column] of sourceOutcome.columns.entries()) {
		const targetIndex = targetIndexByName.get(column.name.toLowerCase());
		if (targetIndex === undefined) {
			comparison.missingColumns.push(column.name);
			continue;
		}

		const sourceKind = kindOfType(column.type, dialects.source);
		const targetKind = kindOfType(targetOutcome.columns[targetIndex]!.type, dialects.target);
		specs.push({
			name: column.name,
			sourceIndex,
			targetIndex,
			kind: resolveKind(sourceKind, targetKind),
			approximate: approximate.has(column.name.toLowerCase()) || isFloatKind(sourceKind) || isFloatKind(targetKind),
			singlePrecision: sourceKind === 'float32' || targetKind === 'float32',
			sourceIsFloat: isFloatKind(sourceKind),
			targetIsFloat: isFloatKind(targetKind),
		});
	}

	comparison.extraColumns = targetOutcome.columns.map(column => column.name).filter(name => !sourceIndexByName.has(name.toLowerCase()));

	const keyNames = new Set(pair.keyColumns.map(name => name.toLowerCase()));
	const keySpecs = pair.keyColumns.map(name => specs.find(spec => spec.name.toLowerCase() === name.toLowerCase()));
	const missingKeys = pair.keyColumns.filter((_name, index) => keySpecs[index] === undefined);
	if (missingKeys.length > 0) {
		comparison.errors.push({side: sourceIndexByName.has(missingKeys[0]!.toLowerCase()) ? 'target' : 'source', message: `key column ${missingKeys.join(', ')} is not in both results`, kind: 'missing-key'});
		return decide(comparison);
	}

	const valueSpecs = specs.filter(spec => !keyNames.has(spec.name.toLowerCase()));
	comparison.valueColumns = valueSpecs.map(spec => spec.name);

	const keyOf = (row: unknown[], side: 'source' | 'target', position: number): {id: string; display: string[]} => {
		if (keySpecs.length === 0) {
			return {id: `#${position}`, display: [`#${position + 1}`]};
		}

		const parts = keySpecs.map(spec => row[side === 'source' ? spec!.sourceIndex : spec!.targetIndex]);
		return {id: JSON.stringify(parts.map((value, index) => keyPart(value, keySpecs[index]!.kind))), display: parts.map(displayValue)};
	};

	const index = (rows: unknown[][], side: 'source' | 'target') => {
		const byKey = new Map<string, {row: unknown[]; display: string[]}>();
		for (const [position, row] of rows.entries()) {
			const key = keyOf(row, side, position);
			if (byKey.has(key.id)) {
				comparison.duplicateKeys.push(key.display);
				continue;
			}

			byKey.set(key.id, {row, display: key.display});
		}

		return byKey;
	};

	const sourceRows = index(sourceOutcome.rows, 'source');
	const targetRows = index(targetOutcome.rows, 'target');
	for (const [id, {row, display}] of sourceRows) {
		const match = targetRows.get(id);
		if (!match) {
			comparison.missingRows.push({key: display, cause: missingRowCause(kind)});
			continue;
		}

		const cells = valueSpecs.map(spec => compareCell(spec, kind, relative, row[spec.sourceIndex], match.row[spec.targetIndex], pair.causes));
		comparison.rows.push({key: display, cells, equal: cells.every(cell => cell.equal)});
	}

	for (const [id, {display}] of targetRows) {
		if (!sourceRows.has(id)) {
			comparison.extraRows.push({key: display, cause: extraRowCause(kind)});
		}
	}

	return decide(comparison);
}

/** Sets a comparison's outcome by the one rule (outcome.ts). */
function decide(comparison: QueryComparison): QueryComparison {
	comparison.outcome = checkOutcome(comparison);
	comparison.equal = comparison.outcome === 'equal';
	const missed = notComparedOf(comparison);
	if (missed) {
		comparison.notCompared = missed;
	}

	return comparison;
}

function missingRowCause(kind: QueryPairKind): string {
	switch (kind) {
		case 'tables': {
			return 'the table is missing on the target: the create-table or LOAD step failed';
		}

		case 'row-count': {
			return 'the target returned no row';
		}

		case 'query': {
			return 'this group exists only in the source: its rows were not loaded (partial load), or a key value changed on the way';
		}
	}
}

function extraRowCause(kind: QueryPairKind): string {
	switch (kind) {
		case 'tables': {
			return 'a table on the target that is not in the source list';
		}

		case 'row-count': {
			return 'the target returned an extra row';
		}

		case 'query': {
			return 'this group exists only in the target: a key value changed on the way (type, padding, case or time zone)';
		}
	}
}
