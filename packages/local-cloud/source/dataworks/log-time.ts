/**
 * The log time the loghub writer gives a record (DataX `LogHubWriter.getTime`): `bigint` means the value is Unix
 * seconds read with `Integer.valueOf`; anything else is a SimpleDateFormat pattern. Whatever fails (a NULL, a value
 * that does not parse, a pattern Java rejects) silently becomes the current time, and the result is a Java int.
 */
import {compileSimpleDateFormat, parseWithPattern, type CompiledPattern} from './simple-date-format.js';

export type LogTimeOptions = {offsetMinutes: number; nowMs: number};

export type LogTimeParser = (value: string | null) => {seconds: number; fellBackToNow: boolean};

const int32Min = -(2 ** 31);
const int32Max = (2 ** 31) - 1;

/** `Integer.valueOf`: an optional sign and decimal digits, inside the int range; undefined where Java throws. */
export function javaIntegerValueOf(text: string): number | undefined {
	if (!/^[+-]?\d+$/.test(text)) {
		return undefined;
	}

	const value = Number(text);
	return value >= int32Min && value <= int32Max ? value : undefined;
}

/** `(int) long`: Java keeps the low 32 bits. */
function toJavaInt(value: number): number {
	return Number(BigInt.asIntN(32, BigInt(Math.trunc(value))));
}

export function createLogTimeParser(timeFormat: string, options: LogTimeOptions): LogTimeParser {
	const now = () => ({seconds: toJavaInt(options.nowMs / 1000), fellBackToNow: true});
	if (timeFormat.toLowerCase() === 'bigint') {
		return value => {
			const seconds = value === null ? undefined : javaIntegerValueOf(value);
			return seconds === undefined ? now() : {seconds, fellBackToNow: false};
		};
	}

	const compiled: CompiledPattern = compileSimpleDateFormat(timeFormat);
	return value => {
		if (!compiled.ok || value === null) {
			return now();
		}

		const ms = parseWithPattern(compiled, value, options);
		return ms === undefined ? now() : {seconds: toJavaInt(ms / 1000), fellBackToNow: false};
	};
}
