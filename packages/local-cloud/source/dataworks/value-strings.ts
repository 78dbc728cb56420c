/**
 * How a MaxCompute value becomes the string the loghub writer sends (procedure "Data types" table: every type becomes
 * a string). The odps reader builds DataX columns (DataX `odpsreader/ReaderProxy.java`) and the writer calls
 * `asString()` on them (`loghubwriter/LogHubWriter.java`):
 * - BIGINT/INT/SMALLINT/TINYINT: LongColumn, the decimal integer;
 * - DOUBLE/FLOAT: `new BigDecimal(String.valueOf(d)).toPlainString()` (DataX `DoubleColumn`), so 1.0E10 becomes
 *   10000000000 and 1.0E-5 becomes 0.000010; NaN and Infinity make BigDecimal throw, which fails the read;
 * - DECIMAL: `BigDecimal.toPlainString()`, keeping the scale (12.50);
 * - BOOLEAN: true/false; DATETIME/TIMESTAMP: `yyyy-MM-dd HH:mm:ss` in GMT+8 (DataX `ColumnCast.DateCast`, fraction
 *   dropped); DATE: `yyyy-MM-dd`; STRING and the rest: unchanged;
 * - NULL stays null here; the Log Service Java SDK sends it as "" (aliyun-log-java-sdk `Client.PutLogs`).
 * The input is the text MaxCompute prints for the value in an SQL result, which for DATETIME is already in the
 * project's zone (Asia/Shanghai = GMT+8 by default, the same zone DataX formats in).
 */
export class ValueConversionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ValueConversionError';
	}
}

/** `new BigDecimal(text).toPlainString()` for the plain and E-notation forms Java prints. */
export function bigDecimalPlainString(text: string): string {
	const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
	if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
		throw new ValueConversionError(`String[${text}]无法转为Double类型 .`);
	}

	const sign = match[1] === '-' ? '-' : '';
	const fraction = match[3] ?? '';
	const unscaledText = `${match[2] ?? ''}${fraction}`.replace(/^0+(?=\d)/, '');
	const scale = fraction.length - Number(match[4] ?? '0');
	const isZero = /^0*$/.test(unscaledText);
	let plain: string;
	if (scale <= 0) {
		plain = isZero ? '0' : `${unscaledText}${'0'.repeat(-scale)}`;
	} else {
		const padded = unscaledText.padStart(scale + 1, '0');
		plain = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
	}

	// BigDecimal has no negative zero.
	return isZero ? plain : `${sign}${plain}`;
}

/** The base type name of a MaxCompute type as DESC prints it, e.g. `decimal(15,2)` → `decimal`. */
export function baseType(type: string): string {
	return type.trim().toLowerCase().replace(/\(.*$/, '').replace(/<.*$/, '');
}

export function toWriterString(value: string | null, type: string): string | null {
	if (value === null) {
		return null;
	}

	switch (baseType(type)) {
		case 'bigint':
		case 'int':
		case 'smallint':
		case 'tinyint': {
			return BigInt(value.trim()).toString();
		}

		case 'double':
		case 'float':
		case 'decimal': {
			return bigDecimalPlainString(value);
		}

		case 'boolean': {
			return value.trim().toLowerCase() === 'true' ? 'true' : 'false';
		}

		case 'datetime':
		case 'timestamp':
		case 'timestamp_ntz': {
			return value.slice(0, 19);
		}

		case 'date': {
			return value.slice(0, 10);
		}

		default: {
			return value;
		}
	}
}
