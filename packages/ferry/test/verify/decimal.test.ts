import test from 'ava';
import {
	compareDecimals,
	formatDecimal,
	parseDecimal,
	rescaleDecimal,
	subtractDecimals,
	withinRelativeTolerance,
} from '../../source/verify/decimal.js';

function d(text: string) {
	const value = parseDecimal(text);
	if (!value) {
		throw new Error(`not a decimal: ${text}`);
	}

	return value;
}

test('parses the spellings engines produce', t => {
	t.deepEqual(parseDecimal('38250854.00'), {coefficient: 3_825_085_400n, scale: 2});
	t.deepEqual(parseDecimal('-0.5'), {coefficient: -5n, scale: 1});
	t.deepEqual(parseDecimal('+3'), {coefficient: 3n, scale: 0});
	t.deepEqual(parseDecimal('.5'), {coefficient: 5n, scale: 1});
	t.deepEqual(parseDecimal('5.'), {coefficient: 5n, scale: 0});
	t.deepEqual(parseDecimal('3.8250854E7'), {coefficient: 38_250_854n, scale: 0});
	t.deepEqual(parseDecimal('2.5522005853257337E1'), {coefficient: 25_522_005_853_257_337n, scale: 15});
	t.deepEqual(parseDecimal('1e-9'), {coefficient: 1n, scale: 9});
	for (const bad of ['', '.', 'NaN', 'Infinity', '1,5', '1.2.3', '--1', 'e5', '1e999']) {
		t.is(parseDecimal(bad), undefined, bad);
	}
});

test('compares exactly beyond double precision', t => {
	// Both are the same double (1234567890123456800), so any float path would call them equal.
	t.is(Number('1234567890123456789.12'), Number('1234567890123456789.13'));
	t.is(compareDecimals(d('1234567890123456789.12'), d('1234567890123456789.13')), -1);
	t.is(formatDecimal(subtractDecimals(d('1234567890123456789.13'), d('1234567890123456789.12'))), '0.01');
	t.is(compareDecimals(d('38250854.00'), d('38250854.000000000000000000')), 0);
	t.is(compareDecimals(d('-1.5'), d('-1.49')), -1);
});

test('rescales by truncation or rounding half away from zero', t => {
	t.is(formatDecimal(rescaleDecimal(d('25.5220058'), 2, 'truncate')), '25.52');
	t.is(formatDecimal(rescaleDecimal(d('25.525'), 2, 'half-up')), '25.53');
	t.is(formatDecimal(rescaleDecimal(d('-25.525'), 2, 'half-up')), '-25.53');
	t.is(formatDecimal(rescaleDecimal(d('-25.529'), 2, 'truncate')), '-25.52');
	t.is(formatDecimal(rescaleDecimal(d('1.5'), 3, 'truncate')), '1.5', 'never adds digits');
});

test('formats without exponents', t => {
	t.is(formatDecimal(d('1e-9')), '0.000000001');
	t.is(formatDecimal(d('-0.000')), '0.000');
	t.is(formatDecimal(d('12.3400'), {trimTrailingZeros: true}), '12.34');
	t.is(formatDecimal(d('1.5E+3')), '1500');
});

test('relative tolerance is evaluated exactly', t => {
	t.true(withinRelativeTolerance(d('1000000000'), d('1000000001'), 1e-9));
	t.false(withinRelativeTolerance(d('1000000000'), d('1000000002'), 1e-9));
	t.true(withinRelativeTolerance(d('0'), d('0'), 1e-9));
	t.false(withinRelativeTolerance(d('0'), d('0.0000001'), 1e-9));
	t.true(withinRelativeTolerance(d('-5'), d('-5.000000001'), 1e-9));
});
