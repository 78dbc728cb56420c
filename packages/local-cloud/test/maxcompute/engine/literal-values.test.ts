import test from 'ava';
import {literalValues} from '../../../source/maxcompute/engine/literal-values.js';
import {tokenize} from '../../../source/maxcompute/engine/tokenizer.js';
import {createFixture, odps2, rows} from './engine-helpers.js';

const valuesOf = (sql: string) => {
	const tokens = tokenize(sql);
	return literalValues(tokens, 0, tokens.length);
};

test('a VALUES list of literals is read straight from the tokens, each column with the cast its literals carry', t => {
	t.deepEqual(valuesOf("VALUES ('a', CAST('1.5' AS DOUBLE), DATETIME '2026-01-02 03:04:05.006', true), (NULL, CAST('-2' AS double), NULL, FALSE)"), {
		casts: [undefined, 'DOUBLE', 'TIMESTAMP_MS', 'BOOLEAN'],
		rows: [['a', '1.5', '2026-01-02 03:04:05.006', 'true'], [null, '-2', null, 'false']],
	});
	t.deepEqual(valuesOf("VALUES (NULL, 'it\\'s')"), {casts: [undefined, undefined], rows: [[null, "it's"]]});
});

test('anything but literals of one shape per column goes the general way', t => {
	for (const sql of [
		'VALUES (1, 2)',
		"VALUES ('a'), (CAST('1' AS BIGINT))",
		"VALUES ('a', 'b'), ('c')",
		"VALUES (concat('a', 'b'))",
		"VALUES (CAST('1' AS nosuchtype))",
		"VALUES ('a') UNION ALL SELECT 'b'",
		"SELECT 'a'",
	]) {
		t.is(valuesOf(sql), undefined, sql);
	}
});

test('an INSERT of literal rows stores what the general path stores, casts failing the same way', async t => {
	const fixture = await createFixture();
	t.teardown(fixture.cleanup);
	const {engine} = fixture;
	await engine.execute('CREATE TABLE t (s string, d double, n bigint, ts datetime, b boolean, m decimal(10,2)) PARTITIONED BY (ds string);', odps2);
	const values = "('x\\ny', CAST('-2.25e+00' AS DOUBLE), CAST('9007199254740993' AS BIGINT), DATETIME '2026-11-01 08:00:00.123', TRUE, CAST('12.345' AS DECIMAL(10,2))), (NULL, NULL, NULL, NULL, NULL, NULL)";
	await engine.execute(`INSERT INTO t PARTITION (ds='literal') VALUES ${values};`, odps2);
	// The same rows, but one value that is not a literal sends the statement the general way.
	await engine.execute(`INSERT INTO t PARTITION (ds='general') VALUES ${values}, (concat('a', 'b'), NULL, NULL, NULL, NULL, NULL);`, odps2);
	const read = async (ds: string) => (await rows(engine, `SELECT s, d, n, ts, b, m FROM t WHERE ds = '${ds}' AND (s IS NULL OR s <> 'ab') ORDER BY s;`)).rows;
	t.deepEqual(await read('literal'), [['x\ny', '-2.25', '9007199254740993', '2026-11-01 08:00:00.123', 'true', '12.35'], [null, null, null, null, null, null]]);
	t.deepEqual(await read('literal'), await read('general'));
	const literalError = await t.throwsAsync(engine.execute("INSERT INTO t PARTITION (ds='x') VALUES ('a', CAST('abc' AS DOUBLE), NULL, NULL, NULL, NULL);", odps2));
	const generalError = await t.throwsAsync(engine.execute("INSERT INTO t PARTITION (ds='x') SELECT 'a', CAST('abc' AS DOUBLE), NULL, NULL, NULL, NULL;", odps2));
	t.regex(literalError.message, /^ODPS-\d+:.*abc/);
	t.is(literalError.message.replace(/^ODPS-\d+:\[\d+,\d+\]/, ''), generalError.message.replace(/^ODPS-\d+:\[\d+,\d+\]/, ''));
	t.deepEqual((await rows(engine, "SELECT count(*) FROM t WHERE ds = 'x';")).rows, [['0']]);
	await t.throwsAsync(engine.execute("INSERT INTO t PARTITION (ds='x') VALUES ('a', NULL);", odps2), {message: /Table ferry_test\.t has 6 columns, but query has 2 columns/});
});
