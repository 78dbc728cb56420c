import test from 'ava';
import {applyParameters} from '../../source/redshift/data-api-server.js';
import {rewriteRedshiftSql} from '../../source/redshift/dialect.js';
import {md5PasswordAnswer} from '../../source/redshift/pg-wire-server.js';
import {firstKeyword, splitStatements} from '../../source/redshift/sql-text.js';

test('statements split at top-level semicolons only', t => {
	t.deepEqual(splitStatements('select \';\'; select "a;b" from t; -- c;\n; select $x$ ; $x$ /* ; */'), [
		'select \';\'',
		' select "a;b" from t',
		' select $x$ ; $x$ /* ; */',
	]);
	t.deepEqual(splitStatements(' ;; '), []);
	t.is(firstKeyword('-- why\n /* note */ unload (\'select 1\') to \'s3://b/p\''), 'UNLOAD');
});

test('LISTAGG … WITHIN GROUP becomes an ordered aggregate call; other text is untouched', t => {
	t.is(
		rewriteRedshiftSql('select listagg(distinct n_name, \', \') within group (order by n_name desc) from nation'),
		'select listagg(distinct n_name, \', \' order by n_name desc) from nation',
	);
	t.is(rewriteRedshiftSql('select LISTAGG(a) WITHIN GROUP ( ORDER BY f(b, c) ) x, listagg(b, \'-\') y'), 'select LISTAGG(a ORDER BY f(b, c)) x, listagg(b, \'-\') y');
	const quoted = 'select \'listagg(a) within group (order by a)\'';
	t.is(rewriteRedshiftSql(quoted), quoted);
});

test('named Data API parameters become literals, casts and quoted text stay', t => {
	t.is(
		applyParameters('select :id::int, \':id\', "x:id", :name from t where a = :id', [{name: 'id', value: '7'}, {name: 'name', value: 'O\'Brien'}]),
		'select \'7\'::int, \':id\', "x:id", \'O\'\'Brien\' from t where a = \'7\'',
	);
	t.is(applyParameters('select :missing', [{name: 'id', value: '1'}]), 'select :missing');
});

// Expected value computed independently with Python's hashlib: md5(md5(password + user).hex + salt).
test('the MD5 password answer follows PostgreSQL\'s definition', t => {
	const salt = Buffer.from([1, 2, 3, 4]);
	t.is(md5PasswordAnswer('awsuser', 'secret', salt), 'md5de2cd5fde3c9899d51a3628760f87ae3');
});
