import {spawnSync} from 'node:child_process';
import test from 'ava';
import {endpointVariable, fishQuote, formatEnvironment, localCloudEnvironment, shQuote, type EnvironmentInput} from '../source/shell-env.js';

const input: EnvironmentInput = {
	services: {
		s3: 'http://127.0.0.1:41001',
		oss: 'http://oss-ap-southeast-1.localhost:41002',
		redshift: 'http://127.0.0.1:41003',
		maxcompute: 'http://127.0.0.1:41004',
		'online-migration': 'http://127.0.0.1:41005',
		datahub: 'http://127.0.0.1:41006',
		'log-service': 'http://ap-southeast-1.log.localhost:41007',
		dataworks: 'http://127.0.0.1:41008',
		iam: 'http://127.0.0.1:41011',
		'aws-sts': 'http://127.0.0.1:41012',
		'redshift-management': 'http://127.0.0.1:41013',
	},
	doorPorts: {'redshift-pg': 41009},
	localhostProxy: 'http://127.0.0.1:41010',
	// A secret with every character a shell treats specially, to prove the quoting round-trips.
	credentials: {aws: {accessKeyId: 'AKIAEXAMPLE', secretAccessKey: String.raw`it's $HOME "q" \n \`x\` !`}, alibaba: {accessKeyId: 'LTAIEXAMPLE', accessKeySecret: 'plain'}},
};

function variables() {
	return Object.fromEntries(localCloudEnvironment(input).set);
}

test('the variable set names every endpoint, the local keys, psql settings and the proxy', t => {
	const env = variables();
	t.like(env, {
		AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
		AWS_SECRET_ACCESS_KEY: input.credentials.aws.secretAccessKey,
		AWS_REGION: 'ap-southeast-1',
		AWS_DEFAULT_REGION: 'ap-southeast-1',
		AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:41001',
		AWS_ENDPOINT_URL_REDSHIFT_DATA: 'http://127.0.0.1:41003',
		AWS_ENDPOINT_URL_REDSHIFT: 'http://127.0.0.1:41013',
		AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:41011',
		AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:41012',
		FERRY_LOCAL_IAM_ENDPOINT: 'http://127.0.0.1:41011',
		FERRY_LOCAL_AWS_STS_ENDPOINT: 'http://127.0.0.1:41012',
		FERRY_LOCAL_REDSHIFT_MANAGEMENT_ENDPOINT: 'http://127.0.0.1:41013',
		AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
		AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
		ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIEXAMPLE',
		ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'plain',
		FERRY_LOCAL_S3_ENDPOINT: 'http://127.0.0.1:41001',
		FERRY_LOCAL_OSS_ENDPOINT: 'http://oss-ap-southeast-1.localhost:41002',
		FERRY_LOCAL_REDSHIFT_ENDPOINT: 'http://127.0.0.1:41003',
		FERRY_LOCAL_MAXCOMPUTE_ENDPOINT: 'http://127.0.0.1:41004',
		FERRY_LOCAL_ONLINE_MIGRATION_ENDPOINT: 'http://127.0.0.1:41005',
		FERRY_LOCAL_DATAHUB_ENDPOINT: 'http://127.0.0.1:41006',
		FERRY_LOCAL_LOG_ENDPOINT: 'http://ap-southeast-1.log.localhost:41007',
		FERRY_LOCAL_DATAWORKS_ENDPOINT: 'http://127.0.0.1:41008',
		FERRY_LOCAL_OSS_HOST: 'oss-ap-southeast-1.localhost:41002',
		PGHOST: '127.0.0.1',
		PGPORT: '41009',
		PGUSER: 'awsuser',
		PGPASSWORD: input.credentials.aws.secretAccessKey,
		PGDATABASE: 'dev',
		HTTP_PROXY: 'http://127.0.0.1:41010',
		http_proxy: 'http://127.0.0.1:41010',
		RCLONE_CONFIG_LOCALOSS_ENDPOINT: 'http://oss-ap-southeast-1.localhost:41002',
		RCLONE_CONFIG_LOCALOSS_ACCESS_KEY_ID: 'LTAIEXAMPLE',
	});
	// `localhost` in NO_PROXY would also match every *.localhost name (Python's urllib, Go, curl), bypassing the proxy.
	t.is(env['NO_PROXY'], '127.0.0.1,::1');
	t.false(env['NO_PROXY']!.split(',').includes('localhost'));
	t.false('HTTPS_PROXY' in env);
	t.deepEqual(localCloudEnvironment(input).unset, ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']);
});

test('without a proxy in the state no proxy variable is printed, and a note says how to get one', t => {
	const {localhostProxy: _, ...withoutProxy} = input;
	const environment = localCloudEnvironment(withoutProxy);
	const names = environment.set.map(([name]) => name);
	t.false(names.includes('HTTP_PROXY'));
	t.false(names.includes('NO_PROXY'));
	t.regex(environment.notes.join('\n'), /no \*\.localhost proxy.*local-cloud start/);
});

test('endpoint variables: service names upper-cased, Log Service as LOG', t => {
	t.is(endpointVariable('online-migration'), 'FERRY_LOCAL_ONLINE_MIGRATION_ENDPOINT');
	t.is(endpointVariable('log-service'), 'FERRY_LOCAL_LOG_ENDPOINT');
});

test('sh quoting: single quotes, a quote closed, escaped and reopened', t => {
	t.is(shQuote('plain'), '\'plain\'');
	t.is(shQuote('it\'s'), String.raw`'it'\''s'`);
	t.is(shQuote(''), '\'\'');
});

test('fish quoting: backslash and quote escaped inside single quotes', t => {
	t.is(fishQuote(String.raw`a\b'c`), String.raw`'a\\b\'c'`);
});

test('sh output: a comment header naming the throwaway keys, then unset and export lines', t => {
	const text = formatEnvironment(localCloudEnvironment(input), 'sh');
	const lines = text.trimEnd().split('\n');
	t.regex(lines[0]!, /^# ferry local cloud/);
	t.true(lines.some(line => /^# .*throwaway keys/.test(line)));
	t.true(lines.includes('unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL'));
	t.true(lines.includes('export AWS_REGION=\'ap-southeast-1\''));
	t.true(lines.filter(line => !line.startsWith('#') && !line.startsWith('unset ')).every(line => /^export [A-Za-z_]\w*='/.test(line)));
});

test('sh output evaluated by bash gives back every value byte for byte', t => {
	const script = `${formatEnvironment(localCloudEnvironment(input), 'sh')}\nprintf '%s' "$AWS_SECRET_ACCESS_KEY"; printf '\\0%s' "$FERRY_LOCAL_LOG_ENDPOINT" "\${AWS_PROFILE-unset}"`;
	const result = spawnSync('bash', ['-c', script], {encoding: 'utf8', env: {PATH: process.env['PATH'], AWS_PROFILE: 'prod'}});
	t.is(result.status, 0, result.stderr);
	t.deepEqual(result.stdout.split('\0'), [input.credentials.aws.secretAccessKey, input.services['log-service'], 'unset']);
});

const hasFish = spawnSync('fish', ['--version']).status === 0;
(hasFish ? test : test.skip)(`fish output evaluated by fish gives back the values${hasFish ? '' : ' (skipped: fish is not installed)'}`, t => {
	const script = `${formatEnvironment(localCloudEnvironment(input), 'fish')}\nprintf '%s' "$AWS_SECRET_ACCESS_KEY"`;
	const result = spawnSync('fish', ['-c', script], {encoding: 'utf8', env: {PATH: process.env['PATH']}});
	t.is(result.stdout, input.credentials.aws.secretAccessKey);
});

test('json output: the variables by name, the ones to clear, and the note', t => {
	const parsed = JSON.parse(formatEnvironment(localCloudEnvironment(input), 'json')) as {note: string; set: Record<string, string>; unset: string[]};
	t.deepEqual(parsed.set, variables());
	t.true(parsed.unset.includes('AWS_PROFILE'));
	t.regex(parsed.note, /throwaway keys/);
});
