import test from 'ava';
import {compareTopicFields, fieldTypeFor, topicFieldsFor} from '../../../wizards/datahub-to-maxcompute/type-mapping.js';
import {formatDateTime, instantOf, partitionValue, unsupportedDirectives} from '../../../wizards/datahub-to-maxcompute/time.js';
import {parseCsv} from '../../../wizards/datahub-to-maxcompute/csv-stream.js';
import {generateRecords} from '../../../wizards/datahub-to-maxcompute/records.js';
import {parseColumnList} from '../../../wizards/datahub-to-maxcompute/preflight.js';
import {sourceSide, verificationPairs, type VerificationPlan} from '../../../wizards/datahub-to-maxcompute/verification.js';

test('every MaxCompute type a DataConnector syncs maps to its DataHub type; MAP, ARRAY and others are refused with a reason', t => {
	const expected: Record<string, string> = {tinyint: 'TINYINT', smallint: 'SMALLINT', int: 'INTEGER', bigint: 'BIGINT', float: 'FLOAT', double: 'DOUBLE', 'decimal(18,6)': 'DECIMAL', string: 'STRING', boolean: 'BOOLEAN', datetime: 'TIMESTAMP'};
	for (const [maxComputeType, fieldType] of Object.entries(expected)) {
		t.deepEqual(fieldTypeFor(maxComputeType), {fieldType}, maxComputeType);
	}

	t.regex((fieldTypeFor('map<string,string>') as {problem: string}).problem, /MAP<STRING,STRING> has no DataHub type/);
	t.regex((fieldTypeFor('array<int>') as {problem: string}).problem, /no DataHub type/);
	t.regex((fieldTypeFor('varchar(10)') as {problem: string}).problem, /not among the types a DataConnector syncs/);
	const {mappings, problems} = topicFieldsFor([{name: 'f1', type: 'string'}, {name: 'tags', type: 'array<string>'}, {name: 'f3', type: 'double'}]);
	t.deepEqual(mappings.map(mapping => mapping.fieldType), ['STRING', 'DOUBLE']);
	t.deepEqual(problems, ['column tags: ARRAY<STRING> has no DataHub type (a DataConnector syncs only flat columns)']);
});

test('an existing topic is compared field by field: names, types and order', t => {
	const wanted = topicFieldsFor([{name: 'f1', type: 'string'}, {name: 'f2', type: 'string'}, {name: 'f3', type: 'double'}]).mappings;
	t.deepEqual(compareTopicFields([{name: 'f1', type: 'string'}, {name: 'F2', type: 'STRING'}, {name: 'f3', type: 'DOUBLE'}], wanted), []);
	t.deepEqual(compareTopicFields([{name: 'f1', type: 'STRING'}, {name: 'f3', type: 'DOUBLE'}], wanted), [
		'field 2: f3 DOUBLE, the table needs f2 STRING',
		'field 3: missing, the table needs f3 DOUBLE',
	]);
});

test('partition values: rounded down to the time range, formatted in the connector\'s zone', t => {
	const instant = Date.UTC(2026, 10, 28, 16, 47, 12); // 2026-11-29 00:47:12 in Shanghai
	t.is(partitionValue(instant, '%Y%m%d', 60, 'Asia/Shanghai'), '20261129');
	t.is(partitionValue(instant, '%Y%m%d', 60, 'UTC'), '20261128');
	t.is(partitionValue(instant, '%Y%m%d%H%M', 15, 'UTC'), '202611281645');
	t.is(partitionValue(instant, '%Y-%m-%d %H:%M', 60, 'UTC'), '2026-11-28 16:00');
	t.deepEqual(unsupportedDirectives('%Y%m%d %j'), ['%j']);
	t.is(formatDateTime(instant, 'Asia/Shanghai'), '2026-11-29 00:47:12');
	t.is(instantOf({year: 2026, month: 11, day: 29, hour: 0, minute: 47, second: 12}, 'Asia/Shanghai'), instant);
});

test('CSV: quoted fields keep commas, quotes and newlines; an unquoted empty field is NULL, a quoted one the empty string', t => {
	t.deepEqual(parseCsv('a,b,c\r\n"x, y","say ""hi""",\n"",plain,"two\nlines"'), [['a', 'b', 'c'], ['x, y', 'say "hi"', null], ['', 'plain', 'two\nlines']]);
	t.throws(() => parseCsv('"open'), {message: /not closed/});
});

test('generated records are deterministic, typed and spread over values', t => {
	const mappings = topicFieldsFor([{name: 'f1', type: 'string'}, {name: 'f2', type: 'string'}, {name: 'f3', type: 'double'}, {name: 'n', type: 'bigint'}]).mappings;
	const first = generateRecords(mappings, 50, 'ab12');
	t.deepEqual(generateRecords(mappings, 50, 'ab12'), first, 'a resumed run regenerates the same records');
	t.deepEqual(generateRecords(mappings, 10, 'ab12', 40), first.slice(40));
	t.is(new Set(first.map(record => record[1])).size, 50, 'every generated record is distinct');
	const other = generateRecords(mappings, 50, 'cd34');
	t.false(other.some(record => first.some(earlier => earlier[1] === record[1])), 'another run writes other records');
	t.regex(first[0]![2]!, /^-?\d\.\d*e[+-]\d\d$/, 'DOUBLE in the SDKs\' exponent form');
});

test('tableColumns reads types with commas in parentheses', t => {
	t.deepEqual(parseColumnList('f1 string, amount decimal(10, 2), `ts` datetime'), [{name: 'f1', type: 'string'}, {name: 'amount', type: 'decimal(10, 2)'}, {name: 'ts', type: 'datetime'}]);
	t.throws(() => parseColumnList('f1 string, 9bad'), {message: /Cannot read the column "9bad"/});
});

test('the DataHub side of each check is computed from the records read back', t => {
	const fields = topicFieldsFor([{name: 'f1', type: 'string'}, {name: 'f3', type: 'double'}, {name: 'amount', type: 'decimal(10,2)'}]).mappings;
	const plan: VerificationPlan = {table: 'test', partitionColumn: 'ds', fields, columns: fields, rule: {mode: 'SYSTEM_TIME', format: '%Y%m%d', timeRangeMinutes: 60, timeZone: 'UTC'}, timeZone: 'UTC'};
	const day1 = Date.UTC(2026, 10, 1, 12);
	const day2 = Date.UTC(2026, 10, 2, 12);
	const records = [
		{sequence: 0, systemTimeMs: day1, values: ['a', '1.5e+00', '10.10'], attributes: {}},
		{sequence: 1, systemTimeMs: day1, values: ['bé', '2.5e+00', '0.01'], attributes: {}},
		{sequence: 2, systemTimeMs: day2, values: [null, null, null], attributes: {}},
		{sequence: 3, systemTimeMs: day2, values: [null, null, null], attributes: {}},
	];
	const side = sourceSide(records, plan);
	const pairs = verificationPairs(plan, side.sample);
	const outcome = (id: string) => side.outcome(pairs.find(pair => pair.id === id)!);
	t.deepEqual((outcome('rows') as {rows: unknown[][]}).rows, [['20261101', 2], ['20261102', 2]]);
	t.deepEqual((outcome('columns') as {rows: unknown[][]}).rows, [['20261101', 2, 3, 2, 4, 2, '10.11'], ['20261102', 0, null, 0, null, 0, null]]);
	t.deepEqual((outcome('distinct') as {rows: unknown[][]}).rows, [[3]], 'the two NULL records are one distinct row');
	t.is(side.sample.length, 2, 'the duplicated NULL rows are not sampled');
	t.is(side.records, 4);
	t.regex(pairs.find(pair => pair.id === 'columns')!.target, /^SELECT `ds` AS `partition`, count\(`f1`\) AS `f1_count`, sum\(length\(`f1`\)\) AS `f1_chars`, count\(`f3`\) AS `f3_count`, sum\(`f3`\) AS `f3_sum`, count\(`amount`\) AS `amount_count`, sum\(`amount`\) AS `amount_sum` FROM `test` GROUP BY `ds`$/);
	t.regex(pairs.find(pair => pair.id === 'sample')!.target, /WHERE \(`ds` = '20261101' AND `f1` = 'a' AND `amount` = 10\.10\) OR/);
});

test('the DataHub side of a check takes linear time: 200,000 records in one partition in well under a second each', t => {
	const fields = topicFieldsFor([{name: 'f1', type: 'string'}, {name: 'f3', type: 'double'}]).mappings;
	const plan: VerificationPlan = {table: 'test', partitionColumn: 'ds', fields, columns: fields, rule: {mode: 'SYSTEM_TIME', format: '%Y%m%d', timeRangeMinutes: 60, timeZone: 'UTC'}, timeZone: 'UTC'};
	const day = Date.UTC(2026, 10, 1, 12);
	const records = Array.from({length: 200_000}, (_, sequence) => ({sequence, systemTimeMs: day, values: [`r${sequence}`, '1.5e+00'], attributes: {}}));
	// One pass folds the records (decoded, partitioned) into every check at once: it gets each check's 3 s.
	const folding = performance.now();
	const side = sourceSide(records, plan);
	const folded = performance.now() - folding;
	const pairs = verificationPairs(plan, side.sample);
	t.true(folded < 3000 * pairs.length, `folding the records into ${pairs.length} checks: ${Math.round(folded)} ms`);
	for (const pair of pairs) {
		const started = performance.now();
		side.outcome(pair);
		t.true(performance.now() - started < 3000, `${pair.id}: ${Math.round(performance.now() - started)} ms`);
	}
});
