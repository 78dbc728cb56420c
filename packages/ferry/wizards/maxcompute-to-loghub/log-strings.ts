/**
 * How a MaxCompute value becomes a log field: the LogHub writer turns every DataX column into a string (the
 * procedure's "Data types" table). Long and Decimal print plainly, Double as Java's
 * `new BigDecimal(String.valueOf(d)).toPlainString()` (so 1.0E10 → "10000000000", 3.0 → "3.0"), Boolean as
 * true/false, dates as `yyyy-MM-dd HH:mm:ss`, and NULL as the empty string (the Log Service SDK writes "").
 */
export function logString(type: string, value: unknown): string {
	if (value === null || value === undefined) {
		return '';
	}

	const base = type.trim().toLowerCase().replace(/\s*\(.*$/s, '');
	if (base === 'double' || base === 'float') {
		return javaDoubleString(Number(value));
	}

	if (base === 'boolean') {
		return String(value).toLowerCase() === 'true' ? 'true' : 'false';
	}

	if (base === 'datetime' || base === 'timestamp' || base === 'date') {
		const text = String(value);
		return base === 'date' ? `${text.slice(0, 10)} 00:00:00` : text.replace('T', ' ').slice(0, 19);
	}

	return String(value);
}

/** Java's Double.toString digits, then BigDecimal.toPlainString: no exponent, at least one fractional digit only when Java had one. */
export function javaDoubleString(value: number): string {
	if (!Number.isFinite(value)) {
		return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
	}

	// JavaScript's shortest round-trip digits equal Java's for doubles Java prints without rounding quirks.
	const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
	const exponent = Number(exponentText);
	const negative = mantissa.startsWith('-');
	const digits = mantissa.replace('-', '').replace('.', '');
	const javaUsesExponent = Math.abs(value) >= 1e7 || (Math.abs(value) < 1e-3 && value !== 0);
	let plain: string;
	const pointAt = exponent + 1;
	if (pointAt <= 0) {
		plain = `0.${'0'.repeat(-pointAt)}${digits}`;
	} else if (pointAt >= digits.length) {
		plain = `${digits}${'0'.repeat(pointAt - digits.length)}`;
		// Double.toString writes "3.0" and "1.0E10"; BigDecimal keeps the ".0" of the first and not of the second.
		plain = javaUsesExponent ? plain : `${plain}.0`;
	} else {
		plain = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
	}

	return `${negative ? '-' : ''}${plain}`;
}
