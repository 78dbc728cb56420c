import test from 'ava';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {ConfigurationError} from '../../../source/engine/errors.js';
import {redact} from '../../../source/log/redact.js';
import {resolveAlibabaCredentials} from '../../../source/clouds/credentials/alibaba.js';
import {resolveAwsCredentials} from '../../../source/clouds/credentials/aws.js';

const touchedVariables = [
	'HOME', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABA_CLOUD_PROFILE',
	'ALIBABA_CLOUD_CREDENTIALS_FILE', 'ALIBABA_CLOUD_ECS_METADATA_DISABLED', 'ALIBABA_CLOUD_CLI_PROFILE_DISABLED', 'ALIBABA_CLOUD_ROLE_ARN',
	'ALIBABA_CLOUD_OIDC_PROVIDER_ARN', 'ALIBABA_CLOUD_OIDC_TOKEN_FILE', 'ALIBABA_CLOUD_CREDENTIALS_URI', 'ALIBABA_CLOUD_ECS_METADATA',
	'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE',
	'AWS_EC2_METADATA_DISABLED', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN',
];
const saved = Object.fromEntries(touchedVariables.map(name => [name, process.env[name]]));

/** A fresh HOME with no credentials anywhere and no network fall-backs (instance metadata disabled). */
async function isolatedHome(): Promise<string> {
	const home = await mkdtemp(path.join(os.tmpdir(), 'ferry-credentials-'));
	for (const name of touchedVariables) {
		delete process.env[name];
	}

	process.env.HOME = home;
	process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
	process.env.AWS_EC2_METADATA_DISABLED = 'true';
	return home;
}

test.afterEach.always(() => {
	for (const [name, value] of Object.entries(saved)) {
		if (value === undefined) {
			delete process.env[name];
		} else {
			process.env[name] = value;
		}
	}
});

async function writeHomeFile(home: string, relative: string, content: string) {
	await mkdir(path.dirname(path.join(home, relative)), {recursive: true});
	await writeFile(path.join(home, relative), content, {mode: 0o600});
}

test.serial('Alibaba: environment variables, with an STS token, and every secret is registered for redaction', async t => {
	const home = await isolatedHome();
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAIenvironmentid';
	process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'env-secret-value-1';
	process.env.ALIBABA_CLOUD_SECURITY_TOKEN = 'env-sts-token-value-1';
	const keys = await resolveAlibabaCredentials({kind: 'chain'}).getCredentials();
	t.deepEqual(keys, {accessKeyId: 'LTAIenvironmentid', accessKeySecret: 'env-secret-value-1', securityToken: 'env-sts-token-value-1'});
	t.is(redact('s=env-secret-value-1 t=env-sts-token-value-1'), 's=[redacted] t=[redacted]');
});

test.serial('Alibaba: the SDK INI file ~/.alibabacloud/credentials, default and ALIBABA_CLOUD_PROFILE sections', async t => {
	const home = await isolatedHome();
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	await writeHomeFile(home, '.alibabacloud/credentials', [
		'[default]', 'type = access_key', 'access_key_id = LTAIinidefault', 'access_key_secret = ini-default-secret', '',
		'[staging]', 'type = access_key', 'access_key_id = LTAIinistaging', 'access_key_secret = ini-staging-secret', '',
	].join('\n'));
	t.is((await resolveAlibabaCredentials({kind: 'chain'}).getCredentials()).accessKeyId, 'LTAIinidefault');
	process.env.ALIBABA_CLOUD_PROFILE = 'staging';
	t.is((await resolveAlibabaCredentials({kind: 'chain'}).getCredentials()).accessKeySecret, 'ini-staging-secret');
	delete process.env.ALIBABA_CLOUD_PROFILE;
	t.is((await resolveAlibabaCredentials({kind: 'chain', profile: 'staging'}).getCredentials()).accessKeyId, 'LTAIinistaging');
	t.is(redact('ini-staging-secret'), '[redacted]');
});

test.serial('Alibaba: the aliyun CLI config.json AK profiles: current, ALIBABA_CLOUD_PROFILE and an explicit name', async t => {
	const home = await isolatedHome();
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	await writeHomeFile(home, '.aliyun/config.json', JSON.stringify({
		current: 'work',
		profiles: [
			{name: 'default', mode: 'AK', access_key_id: 'LTAIclidefault', access_key_secret: 'cli-default-secret', region_id: 'ap-southeast-1'},
			{name: 'work', mode: 'AK', access_key_id: 'LTAIcliwork', access_key_secret: 'cli-work-secret', region_id: 'ap-southeast-1'},
			{name: 'temporary', mode: 'StsToken', access_key_id: 'STS.cli', access_key_secret: 'cli-sts-secret', sts_token: 'cli-sts-token', region_id: 'ap-southeast-1'},
		],
	}));
	// The CLI profile comes before the INI file in the default chain.
	await writeHomeFile(home, '.alibabacloud/credentials', '[default]\ntype = access_key\naccess_key_id = LTAIini\naccess_key_secret = ini-secret\n');
	t.is((await resolveAlibabaCredentials({kind: 'chain'}).getCredentials()).accessKeyId, 'LTAIcliwork');
	process.env.ALIBABA_CLOUD_PROFILE = 'default';
	t.is((await resolveAlibabaCredentials({kind: 'chain'}).getCredentials()).accessKeyId, 'LTAIclidefault');
	delete process.env.ALIBABA_CLOUD_PROFILE;
	t.deepEqual(await resolveAlibabaCredentials({kind: 'chain', profile: 'temporary'}).getCredentials(), {accessKeyId: 'STS.cli', accessKeySecret: 'cli-sts-secret', securityToken: 'cli-sts-token'});
	t.is(redact('cli-sts-token cli-work-secret'), '[redacted] [redacted]');
});

test.serial('Alibaba: nothing configured is a ConfigurationError that names what was tried', async t => {
	const home = await isolatedHome();
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	const error = await t.throwsAsync(resolveAlibabaCredentials({kind: 'chain'}).getCredentials(), {instanceOf: ConfigurationError});
	t.regex(error?.hint ?? '', /ALIBABA_CLOUD_ACCESS_KEY_ID/);
	t.regex(error?.hint ?? '', /aliyun configure/);
	t.regex(error?.hint ?? '', /ferry profiles add/);
	t.is(error?.exitCode, 3);
	const missingProfile = await t.throwsAsync(resolveAlibabaCredentials({kind: 'chain', profile: 'nope'}).getCredentials(), {instanceOf: ConfigurationError});
	t.regex(missingProfile?.message ?? '', /"nope"/);
});

test.serial('Alibaba: explicit keys are used as given and must be complete', async t => {
	const keys = await resolveAlibabaCredentials({kind: 'keys', accessKeyId: 'LTAIgiven', accessKeySecret: 'given-secret-1'}).getCredentials();
	t.deepEqual(keys, {accessKeyId: 'LTAIgiven', accessKeySecret: 'given-secret-1'});
	t.is(redact('given-secret-1'), '[redacted]');
	t.throws(() => resolveAlibabaCredentials({kind: 'keys', accessKeyId: 'LTAIgiven', accessKeySecret: ''}), {instanceOf: ConfigurationError});
});

test.serial('AWS: environment variables', async t => {
	const home = await isolatedHome();
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	process.env.AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENT';
	process.env.AWS_SECRET_ACCESS_KEY = 'aws-env-secret-1';
	process.env.AWS_SESSION_TOKEN = 'aws-env-token-1';
	const identity = await resolveAwsCredentials({kind: 'chain'})();
	t.is(identity.accessKeyId, 'AKIAENVIRONMENT');
	t.is(identity.sessionToken, 'aws-env-token-1');
	t.is(redact('aws-env-secret-1'), '[redacted]');
});

test.serial('AWS: named profiles from ~/.aws/credentials and [profile x] in ~/.aws/config', async t => {
	const home = await isolatedHome();
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	await writeHomeFile(home, '.aws/credentials', '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = aws-default-secret\n\n[unload]\naws_access_key_id = AKIAUNLOAD\naws_secret_access_key = aws-unload-secret\n');
	await writeHomeFile(home, '.aws/config', '[profile configured]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = aws-config-secret\nregion = ap-southeast-1\n');
	t.is((await resolveAwsCredentials({kind: 'chain'})()).accessKeyId, 'AKIADEFAULT');
	t.is((await resolveAwsCredentials({kind: 'chain', profile: 'unload'})()).secretAccessKey, 'aws-unload-secret');
	t.is((await resolveAwsCredentials({kind: 'chain', profile: 'configured'})()).accessKeyId, 'AKIACONFIG');
	t.is(redact('aws-unload-secret'), '[redacted]');
});

test.serial('AWS: nothing configured is a ConfigurationError with a hint', async t => {
	const home = await isolatedHome();
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	const error = await t.throwsAsync(resolveAwsCredentials({kind: 'chain', profile: 'missing'})(), {instanceOf: ConfigurationError});
	t.regex(error?.hint ?? '', /aws configure/);
	t.regex(error?.hint ?? '', /"missing"/);
	const identity = await resolveAwsCredentials({kind: 'keys', accessKeyId: 'AKIAGIVEN', secretAccessKey: 'aws-given-secret'})();
	t.is(identity.accessKeyId, 'AKIAGIVEN');
});
