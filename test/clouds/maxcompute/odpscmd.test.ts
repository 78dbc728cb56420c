// The real odpscmd (a Java tool) is not installed here: these tests run ferry's side against a fake `odpscmd` on PATH
// that checks what ferry hands it (argv, environment, the ini file and its mode) and prints machine-readable CSV.
import {chmod, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import anyTest, {type TestFn} from 'ava';
import {OdpsSqlError} from '../../../source/clouds/maxcompute/errors.js';
import {buildOdpscmdIni, createOdpscmdRunner} from '../../../source/clouds/maxcompute/odpscmd.js';
import {ConfigurationError, InterruptedError} from '../../../source/engine/errors.js';
import {createMemoryLogger} from '../../../source/log/logger.js';

const test = anyTest as TestFn<{binDir: string; reportFile: string; oldPath: string | undefined}>;

const secret = 'odpscmd-secret-Hq2mV7xk';
const credentials = {accessKeyId: 'LTAIodpscmdid', accessKeySecret: secret};

const fakeOdpscmd = (reportFile: string) => `#!/usr/bin/env node
const fs = require('node:fs');
const argv = process.argv.slice(2);
const config = argv.find(arg => arg.startsWith('--config='));
const file = config ? config.slice('--config='.length) : '';
const ini = fs.readFileSync(file, 'utf8');
const entries = Object.fromEntries(ini.trim().split('\\n').map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
const accessKey = entries.access_key;
const report = {
	argv,
	mode: (fs.statSync(file).mode & 0o777).toString(8),
	directoryMode: (fs.statSync(require('node:path').dirname(file)).mode & 0o777).toString(8),
	entries,
	configFile: file,
	secretInArgv: argv.some(arg => arg.includes(accessKey)),
	secretInEnv: Object.values(process.env).some(value => value && value.includes(accessKey)),
};
fs.writeFileSync(${JSON.stringify(reportFile)}, JSON.stringify(report));
const sql = argv[argv.indexOf('-e') + 1] || '';
process.stderr.write('ID = 20261121083000123gabcdefgh1\\nLog view:\\nhttp://logview.example/?i=1\\n');
if (/missing/.test(sql)) {
	process.stderr.write('FAILED: ODPS-0130131:[1,15] Table not found - table p.missing cannot be resolved (key ' + accessKey + ')\\n');
	process.exit(1);
}
if (/sleep/.test(sql)) {
	setTimeout(() => {}, 60000);
} else {
	process.stdout.write('id,name\\n1,"a ""quoted"", name"\\n2,\\\\N\\n');
}
`;

test.beforeEach(async t => {
	const binDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-odpscmd-bin-'));
	const reportFile = path.join(binDir, 'report.json');
	await writeFile(path.join(binDir, 'odpscmd'), fakeOdpscmd(reportFile));
	await chmod(path.join(binDir, 'odpscmd'), 0o755);
	t.context = {binDir, reportFile, oldPath: process.env.PATH};
	process.env.PATH = `${binDir}${path.delimiter}${process.env.PATH ?? ''}`;
});

test.afterEach.always(async t => {
	process.env.PATH = t.context.oldPath;
	await rm(t.context.binDir, {recursive: true, force: true});
});

async function report(t: {context: {reportFile: string}}) {
	return JSON.parse(await readFile(t.context.reportFile, 'utf8')) as {argv: string[]; mode: string; directoryMode: string; entries: Record<string, string>; configFile: string; secretInArgv: boolean; secretInEnv: boolean};
}

async function leftoverConfigDirectories(): Promise<string[]> {
	return (await readdir(os.tmpdir())).filter(name => name.startsWith('ferry-odpscmd-') && !name.startsWith('ferry-odpscmd-bin-'));
}

test.serial('runs odpscmd with a private 0600 ini, no secret in argv or env, parses the -M CSV and removes the ini', async t => {
	const before = await leftoverConfigDirectories();
	const logger = createMemoryLogger();
	const runner = createOdpscmdRunner({endpoint: 'https://service.ap-southeast-1.maxcompute.aliyun.com/api', project: 'p', credentials, logger, region: 'ap-southeast-1'});
	const result = await runner.runSql('SELECT id, name FROM t', {settings: {'odps.sql.type.system.odps2': 'true'}});
	t.deepEqual(result.columns, ['id', 'name']);
	t.deepEqual(result.rows, [['1', 'a "quoted", name'], ['2', null]]);
	t.is(result.instanceId, '20261121083000123gabcdefgh1');

	const seen = await report(t);
	t.false(seen.secretInArgv);
	t.false(seen.secretInEnv);
	t.is(seen.mode, '600');
	t.is(seen.directoryMode, '700');
	t.deepEqual(seen.argv, [`--config=${seen.configFile}`, '-M', '-e', 'SELECT id, name FROM t;']);
	t.deepEqual(seen.entries, {
		project_name: 'p',
		access_id: 'LTAIodpscmdid',
		access_key: secret,
		end_point: 'https://service.ap-southeast-1.maxcompute.aliyun.com/api',
		region_id: 'ap-southeast-1',
		'set.odps.sql.type.system.odps2': 'true',
	});
	await t.throwsAsync(readFile(seen.configFile), {code: 'ENOENT'});
	t.deepEqual(await leftoverConfigDirectories(), before);
	t.false(logger.lines.some(line => line.includes(secret)));
});

test.serial('a failed statement becomes OdpsSqlError with the code, and the secret it echoed is redacted', async t => {
	const runner = createOdpscmdRunner({endpoint: 'http://127.0.0.1:1/api', project: 'p', credentials, logger: createMemoryLogger()});
	const error = await t.throwsAsync(runner.runSql('SELECT * FROM missing'), {instanceOf: OdpsSqlError});
	t.is(error.odpsCode, 'ODPS-0130131');
	t.is(error.instanceId, '20261121083000123gabcdefgh1');
	t.false(error.message.includes(secret));
	t.regex(error.message, /\[redacted\]/);
	t.is((await report(t)).secretInArgv, false);
});

test.serial('the cancel signal stops odpscmd and still removes the ini', async t => {
	const before = await leftoverConfigDirectories();
	const runner = createOdpscmdRunner({endpoint: 'http://127.0.0.1:1/api', project: 'p', credentials, logger: createMemoryLogger()});
	const controller = new AbortController();
	const running = runner.runSql('SELECT sleep(60)', {signal: controller.signal});
	setTimeout(() => controller.abort(), 500);
	await t.throwsAsync(running, {instanceOf: InterruptedError});
	t.deepEqual(await leftoverConfigDirectories(), before);
});

test.serial('a missing odpscmd is a configuration error with a hint', async t => {
	const runner = createOdpscmdRunner({executable: path.join(t.context.binDir, 'no-such-odpscmd'), endpoint: 'http://127.0.0.1:1/api', project: 'p', credentials, logger: createMemoryLogger()});
	const error = await t.throwsAsync(runner.runSql('SELECT 1'), {instanceOf: ConfigurationError});
	t.regex(error.hint ?? '', /Java/);
});

test('the ini refuses values that would add lines, and writes STS keys with their provider', t => {
	t.throws(() => buildOdpscmdIni({project: 'p', endpoint: 'e', credentials: {accessKeyId: 'a', accessKeySecret: 'b\naccess_id=evil'}}), {instanceOf: ConfigurationError});
	t.throws(() => buildOdpscmdIni({project: 'p', endpoint: 'e', credentials, settings: {'a=b': 'c'}}), {instanceOf: ConfigurationError});
	const ini = buildOdpscmdIni({project: 'p', endpoint: 'e', credentials: {...credentials, securityToken: 'tok'}});
	t.true(ini.includes('account_provider=sts\nsts_token=tok\n'));
});
