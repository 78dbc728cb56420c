/**
 * Exact decimal arithmetic on BigInt, for comparing DECIMAL results from two engines without ever passing
 * through a binary float. A value is `coefficient × 10^-scale` with scale ≥ 0.
 */
export type Decimal = {coefficient: bigint; scale: number};

export type RoundingMode = 'truncate' | 'half-up';

const decimalPattern = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Exponents beyond this would build absurdly large BigInts from a short string; no engine renders them. */
const maxExponent = 400;

function powerOfTen(exponent: number): bigint {
	return 10n ** BigInt(exponent);
}

/** Parses `-12.50`, `+3`, `.5`, `5.`, `1.5E+10`, `2e-9`; anything else (NaN, Infinity, `1,5`, ``) is undefined. */
export function parseDecimal(text: string): Decimal | undefined {
	const match = decimalPattern.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const [, sign, whole = '', fraction = '', exponentText] = match;
	if (whole === '' && fraction === '') {
		return undefined;
	}

	const exponent = exponentText === undefined ? 0 : Number(exponentText);
	if (Math.abs(exponent) > maxExponent) {
		return undefined;
	}

	let coefficient = BigInt(`${whole}${fraction}` || '0');
	if (sign === '-') {
		coefficient = -coefficient;
	}

	let scale = fraction.length - exponent;
	if (scale < 0) {
		coefficient *= powerOfTen(-scale);
		scale = 0;
	}

	return {coefficient, scale};
}

/** A finite JS number through its shortest round-trip spelling, which is the value the sender meant. */
export function decimalFromNumber(value: number): Decimal | undefined {
	return Number.isFinite(value) ? parseDecimal(String(value)) : undefined;
}

export function decimalFromBigInt(value: bigint): Decimal {
	return {coefficient: value, scale: 0};
}

function withScale(value: Decimal, scale: number): bigint {
	return value.coefficient * powerOfTen(scale - value.scale);
}

export function compareDecimals(left: Decimal, right: Decimal): -1 | 0 | 1 {
	const scale = Math.max(left.scale, right.scale);
	const a = withScale(left, scale);
	const b = withScale(right, scale);
	return a < b ? -1 : (a > b ? 1 : 0);
}

export function subtractDecimals(left: Decimal, right: Decimal): Decimal {
	const scale = Math.max(left.scale, right.scale);
	return {coefficient: withScale(left, scale) - withScale(right, scale), scale};
}

export function multiplyDecimals(left: Decimal, right: Decimal): Decimal {
	return {coefficient: left.coefficient * right.coefficient, scale: left.scale + right.scale};
}

export function absDecimal(value: Decimal): Decimal {
	return value.coefficient < 0n ? {coefficient: -value.coefficient, scale: value.scale} : value;
}

/** Reduces the scale (never increases it): truncation toward zero, or rounding half away from zero. */
export function rescaleDecimal(value: Decimal, scale: number, mode: RoundingMode): Decimal {
	if (scale >= value.scale) {
		return value;
	}

	const divisor = powerOfTen(value.scale - scale);
	const magnitude = value.coefficient < 0n ? -value.coefficient : value.coefficient;
	let reduced = magnitude / divisor;
	if (mode === 'half-up' && (magnitude % divisor) * 2n >= divisor) {
		reduced += 1n;
	}

	return {coefficient: value.coefficient < 0n ? -reduced : reduced, scale};
}

/** Plain notation, never an exponent; keeps the value's own scale unless trailing zeros are trimmed. */
export function formatDecimal(value: Decimal, options: {trimTrailingZeros?: boolean} = {}): string {
	const negative = value.coefficient < 0n;
	let digits = (negative ? -value.coefficient : value.coefficient).toString().padStart(value.scale + 1, '0');
	let scale = value.scale;
	if (options.trimTrailingZeros) {
		while (scale > 0 && digits.endsWith('0')) {
			digits = digits.slice(0, -1);
			scale--;
		}
	}

	const whole = digits.slice(0, digits.length - scale);
	const fraction = digits.slice(digits.length - scale);
	const body = scale === 0 ? whole : `${whole}.${fraction}`;
	return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/** |left − right| ≤ relative × max(|left|, |right|), evaluated exactly. */
export function withinRelativeTolerance(left: Decimal, right: Decimal, relative: number): boolean {
	const tolerance = decimalFromNumber(relative);
	if (!tolerance || tolerance.coefficient < 0n) {
		return compareDecimals(left, right) === 0;
	}

	const difference = absDecimal(subtractDecimals(left, right));
	const larger = compareDecimals(absDecimal(left), absDecimal(right)) >= 0 ? absDecimal(left) : absDecimal(right);
	return compareDecimals(difference, multiplyDecimals(tolerance, larger)) <= 0;
}
