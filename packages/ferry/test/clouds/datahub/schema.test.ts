/**
 * Expected wire strings come from the vendor's own encoder: aliyun-datahub-sdk-python @ 888ed43
 * `TupleRecord.encode_values` (datahub/models/record.py), run outside this repository, and the Go SDK's
 * `TestCreateTupleTopic` / `TestGetTupleTopic` fixtures (aliyun-datahub-sdk-go @ 543cc08 datahub/api_test.go).
 */
import test from 'ava';
import {decodeRecordValue, encodeRecordSchema, encodeRecordValue, fieldTypes, microsToDate, parseRecordSchema, type FieldType} from '../../../source/clouds/datahub/schema.js';

test('the schema string is byte-identical to the Go SDK TestCreateTupleTopic fixture', t => {
	const types: FieldType[] = ['STRING', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'TIMESTAMP', 'BOOLEAN'];
	const fields = [
		...types.map((type, index) => ({name: `field${index + 1}`, type, comment: 'test'})),
		{name: 'field9', type: 'SMALLINT' as const, notNull: true, comment: 'test9'},
		{name: 'field10', type: 'TINYINT' as const, notNull: true, comment: 'test10'},
	];
	t.is(encodeRecordSchema(fields), '{"fields":[{"name":"field1","type":"STRING","comment":"test"},{"name":"field2","type":"INTEGER","comment":"test"},{"name":"field3","type":"BIGINT","comment":"test"},{"name":"field4","type":"FLOAT","comment":"test"},{"name":"field5","type":"DOUBLE","comment":"test"},{"name":"field6","type":"DECIMAL","comment":"test"},{"name":"field7","type":"TIMESTAMP","comment":"test"},{"name":"field8","type":"BOOLEAN","comment":"test"},{"name":"field9","type":"SMALLINT","notnull":true,"comment":"test9"},{"name":"field10","type":"TINYINT","notnull":true,"comment":"test10"}]}');
});

test('parsing the Go SDK TestGetTupleTopic schema: any case, notnull, capitalised Comment', t => {
	const text = '{"fields":[{"name":"field1","type":"STRING"},{"name":"field7","type":"TIMESTAMP","notnull":false},{"name":"field8","type":"BOOLEAN","notnull":true},{"name":"field10","type":"TINYINT","Comment":"test"},{"name":"f","type":"double"}]}';
	t.deepEqual(parseRecordSchema(text), {
		fields: [
			{name: 'field1', type: 'STRING', notNull: false},
			{name: 'field7', type: 'TIMESTAMP', notNull: false},
			{name: 'field8', type: 'BOOLEAN', notNull: true},
			{name: 'field10', type: 'TINYINT', notNull: false, comment: 'test'},
			{name: 'f', type: 'DOUBLE', notNull: false},
		],
	});
	t.deepEqual(parseRecordSchema(encodeRecordSchema([{name: 'a', type: 'DECIMAL', notNull: true, comment: 'é "x"'}])).fields, [{name: 'a', type: 'DECIMAL', notNull: true, comment: 'é "x"'}]);
	t.throws(() => parseRecordSchema('{"fields":[{"name":"a","type":"MAP"}]}'), {message: /unknown name or type/});
	t.throws(() => parseRecordSchema('not json'), {message: /not valid JSON/});
	t.throws(() => encodeRecordSchema([{name: 'a', type: 'STRING'}, {name: 'A', type: 'STRING'}]), {message: /repeated/});
	t.throws(() => encodeRecordSchema([]), {message: /at least one field/});
});

test('DOUBLE is Python\'s %.16e with the zeros before e removed, rounding half-even on the exact value', t => {
	const vectors: Array<[number, string]> = [
		[1.5, '1.5e+00'],
		[1, '1.e+00'],
		[0.1, '1.0000000000000001e-01'],
		[-2.5e-10, '-2.5000000000000002e-10'],
		[1e300, '1.0000000000000001e+300'],
		[123_456_789.125, '1.23456789125e+08'],
		[0, '0.e+00'],
		[-0, '-0.e+00'],
		[12_345_678_901_234.5625, '1.2345678901234562e+13'],
		[5e-324, '4.9406564584124654e-324'],
		[1 / 3, '3.3333333333333331e-01'],
		[2 ** 60, '1.152921504606847e+18'],
		[100, '1.e+02'],
	];
	for (const [value, expected] of vectors) {
		t.is(encodeRecordValue('DOUBLE', value), expected, String(value));
		t.is(decodeRecordValue('DOUBLE', expected), value);
	}

	t.is(encodeRecordValue('DOUBLE', '2.5'), '2.5e+00');
	t.throws(() => encodeRecordValue('DOUBLE', Number.NaN), {message: /finite/});
	t.throws(() => encodeRecordValue('DOUBLE', Number.POSITIVE_INFINITY), {message: /finite/});
	t.true(Number.isNaN(decodeRecordValue('DOUBLE', 'nan') as number));
	t.is(decodeRecordValue('DOUBLE', '-inf'), Number.NEGATIVE_INFINITY);
});

test('FLOAT is Python\'s str(float)', t => {
	const vectors: Array<[number, string]> = [
		[1.5, '1.5'], [1, '1.0'], [0.1, '0.1'], [-2.5e-10, '-2.5e-10'], [1e300, '1e+300'], [123_456_789.125, '123456789.125'],
		[0, '0.0'], [-0, '-0.0'], [12_345_678_901_234.5625, '12345678901234.562'], [5e-324, '5e-324'], [1 / 3, '0.3333333333333333'],
		[2 ** 60, '1.152921504606847e+18'], [100, '100.0'], [1e16, '1e+16'], [1e-5, '1e-05'], [0.0001, '0.0001'], [1e22, '1e+22'],
	];
	for (const [value, expected] of vectors) {
		t.is(encodeRecordValue('FLOAT', value), expected, String(value));
		t.is(decodeRecordValue('FLOAT', expected), value);
	}
});

test('BOOLEAN, TIMESTAMP, DECIMAL, BIGINT and STRING as the Python SDK sends them', t => {
	t.is(encodeRecordValue('BOOLEAN', true), 'true');
	t.is(encodeRecordValue('BOOLEAN', false), 'false');
	t.is(encodeRecordValue('BOOLEAN', 'TRUE'), 'true');
	t.is(decodeRecordValue('BOOLEAN', 'false'), false);
	t.is(decodeRecordValue('BOOLEAN', 'True'), true);
	t.throws(() => encodeRecordValue('BOOLEAN', 1), {message: /BOOLEAN/});

	t.is(encodeRecordValue('TIMESTAMP', 1_455_869_335_000_000), '1455869335000000');
	t.is(encodeRecordValue('TIMESTAMP', new Date('2016-02-19T08:08:55.000Z')), '1455869335000000');
	t.is(decodeRecordValue('TIMESTAMP', '1455869335000000'), 1_455_869_335_000_000n);
	t.is(microsToDate(1_455_869_335_123_456n).toISOString(), '2016-02-19T08:08:55.123Z');
	t.is(microsToDate(-1n).toISOString(), '1969-12-31T23:59:59.999Z');
	t.throws(() => encodeRecordValue('TIMESTAMP', 253_402_271_999_000_001n), {instanceOf: RangeError});

	t.is(encodeRecordValue('DECIMAL', '12345678901234567890.0100'), '12345678901234567890.0100', 'exact text, trailing zeros kept');
	t.is(decodeRecordValue('DECIMAL', '12345678901234567890.0100'), '12345678901234567890.0100');
	t.is(encodeRecordValue('DECIMAL', 42n), '42');
	t.throws(() => encodeRecordValue('DECIMAL', '12,5'), {message: /DECIMAL/});

	t.is(encodeRecordValue('BIGINT', 9_223_372_036_854_775_807n), '9223372036854775807');
	t.is(decodeRecordValue('BIGINT', '9223372036854775807'), 9_223_372_036_854_775_807n);
	t.throws(() => encodeRecordValue('BIGINT', 9_223_372_036_854_775_808n), {instanceOf: RangeError});
	t.throws(() => encodeRecordValue('BIGINT', 2 ** 60), {message: /not a valid BIGINT/}, 'an unsafe number would lose digits');
	t.is(encodeRecordValue('TINYINT', -128), '-128');
	t.throws(() => encodeRecordValue('TINYINT', 128), {instanceOf: RangeError});
	t.is(encodeRecordValue('SMALLINT', '32767'), '32767');
	t.throws(() => encodeRecordValue('INTEGER', 1.5), {message: /INTEGER/});
	t.is(decodeRecordValue('INTEGER', '-2147483648'), -2_147_483_648);

	const tricky = 'é "quoted", \\ back\nnew line\t中文 😀';
	t.is(encodeRecordValue('STRING', tricky), tricky);
	t.is(decodeRecordValue('STRING', tricky), tricky);
	t.is(encodeRecordValue('STRING', ''), '', 'an empty STRING is a value, not null');
});

test('null stays null for every type, and so does an empty text for non-STRING fields', t => {
	for (const type of fieldTypes) {
		t.is(encodeRecordValue(type, null), null, type);
		t.is(encodeRecordValue(type, undefined), null, type);
		t.is(decodeRecordValue(type, null), null, type);
		if (type !== 'STRING') {
			t.is(encodeRecordValue(type, ''), null, type);
		}
	}
});

test('values survive a JSON round trip through a PutRecords body', t => {
	const types: FieldType[] = ['STRING', 'DOUBLE', 'BOOLEAN', 'TIMESTAMP', 'DECIMAL', 'BIGINT'];
	const values = ['é "q"\n', 1.5, false, 1_455_869_335_000_000, '0.10', null];
	const wire = types.map((type, index) => encodeRecordValue(type, values[index]));
	const back = (JSON.parse(JSON.stringify({Data: wire})) as {Data: (string | null)[]}).Data;
	t.deepEqual(back.map((text, index) => decodeRecordValue(types[index] ?? 'STRING', text)), ['é "q"\n', 1.5, false, 1_455_869_335_000_000n, '0.10', null]);
});
