import test from 'ava';
import {UsageError} from '../../../source/engine/errors.js';
import {redact} from '../../../source/log/redact.js';
import {compareSchemas, quoteMaxComputeIdentifier, quoteMaxComputeString} from '../../../source/clouds/maxcompute/ddl.js';
import {
	countQuery,
	createTableStatement,
	loadStatement,
	maxFileSizeForLoad,
	ossInternalEndpoint,
	quoteRedshiftIdentifier,
	tpchQ1,
	unloadStatement,
} from '../../../wizards/redshift-to-maxcompute/sql.js';
import {mapTable} from '../../../wizards/redshift-to-maxcompute/type-mapping.js';

const role = 'arn:aws:iam::123456789012:role/redshift_s3_role';

test('Redshift identifiers double their double quotes', t => {
	t.is(quoteRedshiftIdentifier('lineitem'), '"lineitem"');
	t.is(quoteRedshiftIdentifier('my "odd" table'), '"my ""odd"" table"');
	t.is(quoteRedshiftIdentifier('zähler'), '"zähler"');
	t.throws(() => quoteRedshiftIdentifier(''), {instanceOf: UsageError});
	t.throws(() => quoteRedshiftIdentifier('a\nb'), {instanceOf: UsageError});
});

test('MaxCompute identifiers double their backticks; literals escape with backslashes', t => {
	t.is(quoteMaxComputeIdentifier('a`b'), '`a``b`');
	t.is(quoteMaxComputeString('it\'s'), '\'it\\\'s\'');
	t.is(quoteMaxComputeString('a\\b;c'), '\'a\\\\b\\;c\'');
});

test('UNLOAD with a role: the procedure\'s statement, one file prefix per table, sized for LOAD', t => {
	const {statement, display} = unloadStatement({
		schema: 'public', table: 'customer', s3Uri: 's3://bucket_name/unload_from_redshift/customer/customer_',
		auth: {kind: 'role', roleArn: role}, cleanPath: true,
	});
	t.is(statement, `UNLOAD ('SELECT * FROM "public"."customer"') TO 's3://bucket_name/unload_from_redshift/customer/customer_' IAM_ROLE '${role}' FORMAT AS PARQUET MAXFILESIZE 1024 MB CLEANPATH`);
	t.is(display, statement);
});

test('UNLOAD quotes odd identifiers inside the query literal', t => {
	const {statement} = unloadStatement({
		schema: 'sales "eu"', table: 'o\'brien table', columns: ['id', 'naïve "col"', 'it\'s'],
		s3Uri: 's3://b/p/t/t_', auth: {kind: 'role', roleArn: role}, maxFileSizeMb: 256, cleanPath: false,
	});
	// Identifier quotes doubled once for the identifier, then single quotes doubled for the literal.
	t.true(statement.startsWith('UNLOAD (\'SELECT "id", "naïve ""col""", "it\'\'s" FROM "sales ""eu"""."o\'\'brien table"\') TO \'s3://b/p/t/t_\''));
	t.true(statement.endsWith('FORMAT AS PARQUET MAXFILESIZE 256 MB'));
	t.false(statement.includes('CLEANPATH'));
	// The literal is well formed: after removing doubled quotes, exactly the delimiting quotes remain.
	const literal = /^UNLOAD \((.*)\) TO /.exec(statement)![1]!;
	t.is(literal.replaceAll('\'\'', '').split('\'').length - 1, 2);
});

test('UNLOAD with keys returns a display version without the keys', t => {
	const keys = {kind: 'keys' as const, accessKeyId: 'AKIAEXAMPLEKEYID0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN+/=='};
	const {statement, display} = unloadStatement({table: 'orders', s3Uri: 's3://b/redshift/orders/orders_', auth: keys, cleanPath: true});
	t.regex(statement, /ACCESS_KEY_ID 'AKIAEXAMPLEKEYID0001' SECRET_ACCESS_KEY 'wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY' SESSION_TOKEN 'FwoGZXIvYXdzEXAMPLETOKEN\+\/==' FORMAT AS PARQUET/);
	for (const secret of [keys.accessKeyId, keys.secretAccessKey, keys.sessionToken]) {
		t.false(display.includes(secret), secret);
	}

	t.is(display, `UNLOAD ('SELECT * FROM "orders"') TO 's3://b/redshift/orders/orders_' ACCESS_KEY_ID '[redacted]' SECRET_ACCESS_KEY '[redacted]' SESSION_TOKEN '[redacted]' FORMAT AS PARQUET MAXFILESIZE 1024 MB CLEANPATH`);
	// The secrets are registered, so even the real statement never reaches a log in clear.
	t.false(redact(statement).includes(keys.secretAccessKey));
	t.false(redact(statement).includes(keys.sessionToken));
});

test('UNLOAD without a session token omits SESSION_TOKEN', t => {
	const {statement} = unloadStatement({table: 't', s3Uri: 's3://b/t/t_', auth: {kind: 'keys', accessKeyId: 'AKIA0002', secretAccessKey: 'secret-0002'}, cleanPath: false});
	t.false(statement.includes('SESSION_TOKEN'));
});

test('UNLOAD refuses unsafe targets and values', t => {
	const base = {table: 't', auth: {kind: 'role' as const, roleArn: role}, cleanPath: false};
	t.throws(() => unloadStatement({...base, s3Uri: 'https://b/t/t_'}), {instanceOf: UsageError});
	t.throws(() => unloadStatement({...base, s3Uri: 's3://b/t/'}), {instanceOf: UsageError, message: /file name prefix/});
	t.throws(() => unloadStatement({...base, s3Uri: 's3://b/t/_t'}), {instanceOf: UsageError});
	t.throws(() => unloadStatement({...base, s3Uri: 's3://b/t/t_', maxFileSizeMb: 7000}), {instanceOf: UsageError});
	t.throws(() => unloadStatement({...base, table: 'back\\slash', s3Uri: 's3://b/t/t_'}), {instanceOf: UsageError, message: /backslash/});
	t.throws(() => unloadStatement({...base, columns: [], s3Uri: 's3://b/t/t_'}), {instanceOf: UsageError});
});

test('MAXFILESIZE leaves LOAD headroom and is a multiple of the 32 MB Parquet row group', t => {
	t.is(maxFileSizeForLoad(), 1024);
	t.is(maxFileSizeForLoad(3072), 1536);
	t.is(maxFileSizeForLoad(1000), 480);
	t.is(maxFileSizeForLoad(40), 32);
	t.is(maxFileSizeForLoad(100_000), 6348);
	t.throws(() => maxFileSizeForLoad(0), {instanceOf: UsageError});
	for (const limit of [2048, 3072, 1000, 777]) {
		const size = maxFileSizeForLoad(limit);
		t.is(size % 32, 0);
		t.true(size <= limit / 2);
	}
});

test('CREATE TABLE uses backticks and records the Redshift type of inexact columns', t => {
	const {columns} = mapTable({name: 'weird', columns: [
		{name: 'id', type: 'integer', nullable: false},
		{name: 'price`s', type: 'numeric(15,2)', nullable: true},
		{name: 'note name', type: 'character varying(25)', nullable: true},
		{name: 'präzise', type: 'numeric(38,20)', nullable: true},
	]});
	t.is(createTableStatement({table: 'we`ird', columns, ifNotExists: true}), [
		'CREATE TABLE IF NOT EXISTS `we``ird` (',
		'\t`id` INT,',
		'\t`price``s` DECIMAL(15,2),',
		'\t`note name` STRING COMMENT \'Redshift character varying(25)\',',
		'\t`präzise` DECIMAL(38,20) COMMENT \'Redshift numeric(38,20)\'',
		')',
	].join('\n'));
	t.true(createTableStatement({table: 't', columns}).startsWith('CREATE TABLE `t` ('));
	t.throws(() => createTableStatement({table: 't', columns: []}), {instanceOf: UsageError});
});

test('LOAD follows the procedure and escapes its literals', t => {
	const statement = loadStatement({
		table: 'orders',
		ossLocation: {endpointHost: ossInternalEndpoint('ap-southeast-1'), bucket: 'oss-bucket-name', prefix: '/unload_from_redshift/orders_parquet'},
		roleArn: 'acs:ram::1234:role/xxx_role', overwrite: true,
	});
	t.is(statement, [
		'LOAD OVERWRITE TABLE `orders`',
		'FROM LOCATION \'oss://oss-ap-southeast-1-internal.aliyuncs.com/oss-bucket-name/unload_from_redshift/orders_parquet/\'',
		'ROW FORMAT SERDE \'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe\'',
		'WITH SERDEPROPERTIES (\'odps.properties.rolearn\'=\'acs:ram::1234:role/xxx_role\')',
		'STORED AS PARQUET',
	].join('\n'));
	const odd = loadStatement({table: 'o', ossLocation: {endpointHost: 'h.example', bucket: 'bkt', prefix: 'it\'s/'}, roleArn: 'acs:ram::1:role/r\'', overwrite: false});
	t.true(odd.startsWith('LOAD INTO TABLE `o`'));
	t.true(odd.includes('\'oss://h.example/bkt/it\\\'s/\''));
	t.true(odd.includes('=\'acs:ram::1:role/r\\\'\')'));
	t.throws(() => loadStatement({table: 'o', ossLocation: {endpointHost: 'https://h', bucket: 'bkt', prefix: ''}, roleArn: 'r', overwrite: true}), {instanceOf: UsageError});
	t.throws(() => loadStatement({table: 'o', ossLocation: {endpointHost: 'h', bucket: 'Bad_Bucket', prefix: ''}, roleArn: 'r', overwrite: true}), {instanceOf: UsageError});
});

test('internal OSS endpoints', t => {
	t.is(ossInternalEndpoint('ap-southeast-1'), 'oss-ap-southeast-1-internal.aliyuncs.com');
	t.is(ossInternalEndpoint('oss-cn-hangzhou'), 'oss-cn-hangzhou-internal.aliyuncs.com');
	t.throws(() => ossInternalEndpoint('evil.com/x'), {instanceOf: UsageError});
});

test('count queries per dialect', t => {
	t.is(countQuery('redshift', 'public', 'line"item'), 'SELECT COUNT(*) AS row_count FROM "public"."line""item"');
	t.is(countQuery('maxcompute', undefined, 'lineitem'), 'SELECT COUNT(*) AS row_count FROM `lineitem`');
});

test('TPC-H Q1 uses the same date literal on both sides', t => {
	const redshift = tpchQ1('redshift', 'lineitem', 'public');
	const maxcompute = tpchQ1('maxcompute');
	t.true(redshift.includes('WHERE l_shipdate <= DATE \'1998-09-02\''));
	t.true(redshift.includes('FROM "public"."lineitem"'));
	t.false(redshift.includes('LIMIT'), 'Redshift needs no LIMIT');
	// DATE or TIMESTAMP l_shipdate: cast to DATE so the comparison is DATE to DATE.
	t.true(maxcompute.includes('WHERE CAST(l_shipdate AS DATE) <= DATE \'1998-09-02\''));
	t.true(maxcompute.endsWith('ORDER BY l_returnflag, l_linestatus\nLIMIT 100'), 'MaxCompute refuses ORDER BY without LIMIT');
	for (const sql of [redshift, maxcompute]) {
		for (const alias of ['sum_qty', 'sum_base_price', 'sum_disc_price', 'sum_charge', 'avg_qty', 'avg_price', 'avg_disc', 'count_order']) {
			t.true(sql.includes(`AS ${alias}`), alias);
		}
	}
});

test('compareSchemas: equal despite spelling, readable when different', t => {
	t.deepEqual(compareSchemas(
		[{name: 'L_OrderKey', type: 'int'}, {name: 'l_price', type: 'decimal(15,2)'}],
		[{name: 'l_orderkey', type: 'INTEGER'}, {name: 'l_price', type: 'DECIMAL(15, 2)'}],
	), {equal: true});
	const result = compareSchemas(
		[{name: 'b', type: 'string'}, {name: 'a', type: 'bigint'}, {name: 'extra', type: 'string'}],
		[{name: 'a', type: 'int'}, {name: 'b', type: 'string'}, {name: 'c', type: 'date'}],
	);
	t.false(result.equal);
	if (!result.equal) {
		t.deepEqual(result.differences, [
			'column a is BIGINT, expected INT',
			'column a is at position 2, expected 1',
			'column b is at position 1, expected 2',
			'missing column c DATE',
			'unexpected column extra STRING',
		]);
		t.true(result.text.includes('- missing column c DATE'));
	}
});
