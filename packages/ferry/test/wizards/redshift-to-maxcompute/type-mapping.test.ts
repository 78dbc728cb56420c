import test from 'ava';
import {PreflightError} from '../../../source/engine/errors.js';
import {
	type MappingOptions,
	type RedshiftColumn,
	findTypeMapping,
	mapColumn,
	mapTable,
	maxComputeSettings,
	typeMappings,
} from '../../../wizards/redshift-to-maxcompute/type-mapping.js';

type Expectation = {
	column: Omit<RedshiftColumn, 'name' | 'nullable'>;
	options?: Partial<MappingOptions>;
	maxComputeType: string | Error;
	redshiftType?: string;
	exact?: boolean;
	fallback?: string;
	warning?: RegExp;
};

/** One or more cases per table row; the last test checks that no row is left without a case. */
const cases: Record<string, Expectation[]> = {
	smallint: [{column: {type: 'smallint'}, maxComputeType: 'SMALLINT', exact: true}, {column: {type: 'INT2'}, maxComputeType: 'SMALLINT'}],
	integer: [{column: {type: 'integer'}, maxComputeType: 'INT', exact: true}, {column: {type: 'int4'}, maxComputeType: 'INT'}],
	bigint: [{column: {type: 'bigint'}, maxComputeType: 'BIGINT', exact: true}, {column: {type: 'int8'}, maxComputeType: 'BIGINT'}],
	numeric: [
		{column: {type: 'numeric(15,2)'}, maxComputeType: 'DECIMAL(15,2)', redshiftType: 'numeric(15,2)', exact: true},
		{column: {type: 'decimal(38, 18)'}, maxComputeType: 'DECIMAL(38,18)', exact: true},
		// SVV_COLUMNS reports the bare name and the numbers in separate columns.
		{column: {type: 'numeric', precision: 12, scale: 4}, maxComputeType: 'DECIMAL(12,4)', redshiftType: 'numeric(12,4)'},
		// Redshift's default NUMERIC is (18,0).
		{column: {type: 'numeric'}, maxComputeType: 'DECIMAL(18,0)'},
	],
	'numeric-wide-scale-extended': [{
		column: {type: 'numeric(38,20)'},
		maxComputeType: 'DECIMAL(38,20)',
		exact: false,
		fallback: 'DECIMAL(38,20) with odps.sql.decimal2.extended.scale.enable=true',
		warning: /scale 20 exceeds .* DECIMAL\(38,18\) would drop digits/,
	}],
	'numeric-wide-scale-string': [{
		column: {type: 'numeric(38,20)'},
		options: {wideDecimal: 'string'},
		maxComputeType: 'STRING',
		exact: false,
		fallback: 'STRING',
		warning: /external table with a CAST/,
	}],
	real: [{column: {type: 'real'}, maxComputeType: 'FLOAT', exact: true}, {column: {type: 'float4'}, maxComputeType: 'FLOAT'}],
	double: [
		{column: {type: 'double precision'}, maxComputeType: 'DOUBLE', exact: true},
		{column: {type: 'float8'}, maxComputeType: 'DOUBLE'},
		{column: {type: 'float'}, maxComputeType: 'DOUBLE'},
	],
	boolean: [{column: {type: 'boolean'}, maxComputeType: 'BOOLEAN', exact: true}, {column: {type: 'bool'}, maxComputeType: 'BOOLEAN'}],
	char: [
		{column: {type: 'character(1)'}, maxComputeType: 'CHAR(1)', exact: true, redshiftType: 'character(1)'},
		{column: {type: 'char(255)'}, maxComputeType: 'CHAR(255)'},
		{column: {type: 'bpchar', length: 10}, maxComputeType: 'CHAR(10)', redshiftType: 'bpchar(10)'},
		{column: {type: 'bpchar'}, maxComputeType: 'CHAR(1)'},
	],
	'char-long': [{column: {type: 'character(256)'}, maxComputeType: 'STRING', exact: false, fallback: 'STRING', warning: /CHAR\(256\) is longer than .* 255/}],
	'varchar-string': [
		{column: {type: 'character varying(25)'}, maxComputeType: 'STRING', exact: false, fallback: 'STRING', warning: /25 bytes/, redshiftType: 'character varying(25)'},
		{column: {type: 'varchar(max)'}, maxComputeType: 'STRING', warning: /65535 bytes/},
		{column: {type: 'text'}, maxComputeType: 'STRING', redshiftType: 'text', warning: /256 bytes/},
		{column: {type: 'nvarchar(40)'}, maxComputeType: 'STRING'},
	],
	varchar: [
		{column: {type: 'character varying(25)'}, options: {varchar: 'varchar'}, maxComputeType: 'VARCHAR(25)', exact: true},
		{column: {type: 'character varying', length: 65_535}, options: {varchar: 'varchar'}, maxComputeType: 'VARCHAR(65535)'},
		{column: {type: 'text'}, options: {varchar: 'varchar'}, maxComputeType: 'VARCHAR(256)'},
	],
	date: [{column: {type: 'date'}, maxComputeType: 'DATE', exact: true}],
	timestamp: [
		{column: {type: 'timestamp without time zone'}, maxComputeType: 'TIMESTAMP', exact: true},
		{column: {type: 'timestamp'}, maxComputeType: 'TIMESTAMP', exact: true},
		{column: {type: 'timestamp(6) without time zone'}, maxComputeType: 'TIMESTAMP', redshiftType: 'timestamp(6) without time zone'},
	],
	timestamptz: [
		{column: {type: 'timestamp with time zone'}, maxComputeType: 'TIMESTAMP', exact: false, fallback: 'TIMESTAMP (UTC)', warning: /drops the time zone/},
		{column: {type: 'timestamptz'}, maxComputeType: 'TIMESTAMP', exact: false},
	],
	time: [
		{column: {type: 'time without time zone'}, maxComputeType: 'STRING', exact: false, fallback: 'STRING', warning: /no TIME type/},
		{column: {type: 'time with time zone'}, maxComputeType: 'STRING'},
		{column: {type: 'timetz'}, maxComputeType: 'STRING'},
	],
	super: [{column: {type: 'super'}, maxComputeType: 'STRING', exact: false, fallback: 'STRING (JSON text)', warning: /JSON/}],
	interval: [{column: {type: 'interval'}, maxComputeType: 'STRING', exact: false, fallback: 'STRING'}],
	varbyte: [{column: {type: 'varbyte(64)'}, maxComputeType: new Error('cannot be migrated through Parquet')}, {column: {type: 'varbinary'}, maxComputeType: new Error('Parquet')}],
	geometry: [{column: {type: 'geometry'}, maxComputeType: new Error('cannot be migrated through Parquet')}],
	geography: [{column: {type: 'geography'}, maxComputeType: new Error('cannot be migrated through Parquet')}],
	hllsketch: [{column: {type: 'hllsketch'}, maxComputeType: new Error('cannot be migrated through Parquet')}],
};

for (const [id, expectations] of Object.entries(cases)) {
	for (const expectation of expectations) {
		const label = `${id}: ${JSON.stringify(expectation.column)}${expectation.options ? ` ${JSON.stringify(expectation.options)}` : ''}`;
		test(label, t => {
			const column = {name: 'c', nullable: true, ...expectation.column};
			if (expectation.maxComputeType instanceof Error) {
				const error = t.throws(() => mapColumn(column, expectation.options), {instanceOf: PreflightError});
				t.true(error.message.includes(expectation.maxComputeType.message), error.message);
				t.regex(error.hint ?? '', /view|Exclude/);
				t.is(error.code, 'UnsupportedColumnType');
				return;
			}

			const mapped = mapColumn(column, expectation.options);
			t.is(mapped.mappingId, id);
			t.is(mapped.maxComputeType, expectation.maxComputeType);
			if (expectation.exact !== undefined) {
				t.is(mapped.exact, expectation.exact);
			}

			if (expectation.redshiftType !== undefined) {
				t.is(mapped.redshiftType, expectation.redshiftType);
			}

			if (expectation.fallback !== undefined) {
				t.is(mapped.fallback, expectation.fallback);
			}

			if (expectation.warning !== undefined) {
				t.regex(mapped.warning ?? '', expectation.warning);
			}

			if (mapped.exact) {
				t.is(mapped.warning, undefined);
			} else {
				t.truthy(mapped.warning, 'an inexact mapping explains itself');
				t.truthy(mapped.fallback, 'an inexact mapping names its fallback');
			}
		});
	}
}

test('every row of the mapping table has a test case', t => {
	t.deepEqual(typeMappings.map(row => row.id).sort(), Object.keys(cases).sort());
});

test('rows are unique per catalog name, bound and option (no row is shadowed)', t => {
	for (const row of typeMappings) {
		const sample = cases[row.id]![0]!;
		t.is(findTypeMapping({name: 'c', nullable: true, ...sample.column}, sample.options).row?.id, row.id);
	}
});

test('an unknown type is refused with a hint', t => {
	const error = t.throws(() => mapColumn({name: 'odd', type: 'money', nullable: true}), {instanceOf: PreflightError});
	t.regex(error.message, /odd .*money/);
	t.truthy(error.hint);
});

test('mapTable collects the settings the columns need', t => {
	const mapped = mapTable({schema: 'public', name: 'lineitem', columns: [
		{name: 'l_orderkey', type: 'integer', nullable: false},
		{name: 'l_extendedprice', type: 'numeric(15,2)', nullable: false},
		{name: 'l_comment', type: 'character varying(44)', nullable: false},
	]});
	t.deepEqual(mapped.settings, {
		'odps.sql.type.system.odps2': 'true',
		'odps.sql.decimal.odps2': 'true',
		'odps.ext.parquet.native': 'true',
	});
	t.deepEqual(mapped.columns.map(column => column.maxComputeType), ['INT', 'DECIMAL(15,2)', 'STRING']);
	t.is(mapped.warnings.length, 1);
	t.regex(mapped.warnings[0]!, /^public\.lineitem\.l_comment character varying\(44\) → STRING: /);
});

test('mapTable adds the extended-scale setting only when a wide decimal needs it', t => {
	const wide = mapTable({name: 't', columns: [{name: 'x', type: 'numeric(38,20)', nullable: true}]});
	t.is(wide.settings[maxComputeSettings.extendedScale.key], 'true');
	const narrow = mapTable({name: 't', columns: [{name: 'x', type: 'numeric(38,18)', nullable: true}]});
	t.false(maxComputeSettings.extendedScale.key in narrow.settings);
	const asText = mapTable({name: 't', columns: [{name: 'x', type: 'numeric(38,20)', nullable: true}]}, {wideDecimal: 'string'});
	t.false(maxComputeSettings.extendedScale.key in asText.settings);
	t.is(asText.columns[0]!.maxComputeType, 'STRING');
});

test('mapTable reports every unmigratable column in one error', t => {
	const error = t.throws(() => mapTable({schema: 'public', name: 'shapes', columns: [
		{name: 'id', type: 'integer', nullable: false},
		{name: 'outline', type: 'geometry', nullable: true},
		{name: 'blob', type: 'varbyte(16)', nullable: true},
	]}), {instanceOf: PreflightError});
	t.regex(error.message, /public\.shapes/);
	t.regex(error.message, /outline/);
	t.regex(error.message, /blob/);
	t.truthy(error.hint);
});
