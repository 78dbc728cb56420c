import test from 'ava';
import {inferKind, kindOfType, normaliseValue, parseTimestamp} from '../../source/verify/normalise.js';

test('declared types map to comparison kinds per engine', t => {
	t.is(kindOfType('numeric(38,2)', 'redshift'), 'exact-number');
	t.is(kindOfType('DECIMAL(38,18)', 'maxcompute'), 'exact-number');
	t.is(kindOfType('float', 'redshift'), 'float', 'Redshift FLOAT is double precision');
	t.is(kindOfType('FLOAT', 'maxcompute'), 'float32', 'MaxCompute FLOAT is single precision');
	t.is(kindOfType('timestamp without time zone', 'redshift'), 'timestamp');
	t.is(kindOfType('bpchar', 'redshift'), 'char');
	t.is(kindOfType('geometry', 'redshift'), undefined);
	t.is(kindOfType(undefined, 'redshift'), undefined);
});

test('timestamps in the spellings of both engines are one instant', t => {
	const spellings = ['1998-09-02 00:00:00', '1998-09-02T00:00:00.000Z', '1998-09-02 00:00:00.000000', '1998-09-02 00:00:00.000000000', '1998-09-02', '1998-09-02 08:00:00+08:00', '1998-09-01 19:00:00-0500'];
	const instants = spellings.map(text => parseTimestamp(text)!.epochNanos);
	t.deepEqual(new Set(instants).size, 1, instants.join(' '));
	const micros = parseTimestamp('1998-09-02 00:00:00.123456')!;
	t.is(micros.precision, 6);
	t.is(micros.text, '1998-09-02 00:00:00.123456 UTC');
	t.is(micros.zone, undefined);
	t.is(parseTimestamp('1998-09-02T00:00:00.000Z')!.zone, 'Z');
	t.true(parseTimestamp('1998-09-02')!.dateOnly);
	t.is(parseTimestamp('1998-02-30'), undefined, 'not a calendar date');
	t.is(parseTimestamp('0001-01-01 00:00:00')!.text, '0001-01-01 00:00:00 UTC');
	t.is(parseTimestamp('hello'), undefined);
});

test('JS Dates normalise like their ISO text', t => {
	const value = normaliseValue(new Date('1998-09-02T00:00:00Z'), 'timestamp');
	t.is(value.kind, 'timestamp');
	t.is(value.kind === 'timestamp' ? value.epochNanos : undefined, parseTimestamp('1998-09-02 00:00:00')!.epochNanos);
});

test('booleans from t/true/1', t => {
	for (const truthy of [true, 't', 'true', 'TRUE', '1', 1]) {
		t.deepEqual(normaliseValue(truthy, 'boolean'), {kind: 'boolean', value: true}, String(truthy));
	}

	for (const falsy of [false, 'f', 'false', '0', 0]) {
		t.deepEqual(normaliseValue(falsy, 'boolean'), {kind: 'boolean', value: false}, String(falsy));
	}

	t.deepEqual(normaliseValue('maybe', 'boolean'), {kind: 'string', value: 'maybe'});
});

test('NULL stays distinct from the empty string', t => {
	t.deepEqual(normaliseValue(null, 'string'), {kind: 'null'});
	t.deepEqual(normaliseValue(undefined, undefined), {kind: 'null'});
	t.deepEqual(normaliseValue('', 'string'), {kind: 'string', value: ''});
	t.deepEqual(normaliseValue('', 'exact-number'), {kind: 'string', value: ''});
});

test('numbers keep their exact digits whatever the transport', t => {
	const fromText = normaliseValue('1234567890123456789.12', 'exact-number');
	t.is(fromText.kind === 'number' ? fromText.value.coefficient : undefined, 123_456_789_012_345_678_912n);
	const fromBigInt = normaliseValue(9_007_199_254_740_993n, 'exact-number');
	t.is(fromBigInt.kind === 'number' ? fromBigInt.value.coefficient : undefined, 9_007_199_254_740_993n);
	t.deepEqual(normaliseValue(Number.NaN, 'float'), {kind: 'special-float', text: 'NaN'});
	t.deepEqual(normaliseValue('-inf', 'float'), {kind: 'special-float', text: '-Infinity'});
});

test('kinds are inferred from a pair of untyped values', t => {
	t.is(inferKind('38250854.00', '38250854.000000000000000000'), 'exact-number');
	t.is(inferKind(true, 't'), 'boolean');
	t.is(inferKind('t', 'true'), 'boolean');
	t.is(inferKind('1998-09-02 00:00:00', '1998-09-02T00:00:00.000Z'), 'timestamp');
	t.is(inferKind('A', 'A'), 'string');
	t.is(inferKind('1', 'x'), 'string');
	t.is(inferKind(null, '12'), 'exact-number');
});
