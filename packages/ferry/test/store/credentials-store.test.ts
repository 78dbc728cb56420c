import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {redact} from '../../source/log/redact.js';
import {
	credentialsFilePath,
	deleteProfileKeys,
	deleteSessionSecrets,
	getProfileKeys,
	openSessionSecrets,
	setProfileKeys,
} from '../../source/store/credentials-store.js';
import {useFerryHome} from '../helpers/ferry-home.js';

function fileMode(file: string): number {
	return statSync(file).mode & 0o777;
}

function readStored(file: string): {profiles: Record<string, unknown>; sessions: Record<string, Record<string, string>>} {
	return JSON.parse(readFileSync(file, 'utf8')) as never;
}

test.serial('the credentials file lives in the config directory and stays 0600 after every write', async t => {
	const home = useFerryHome(t);
	const file = await credentialsFilePath();
	t.is(file, path.join(home, 'config', 'credentials.json'));
	await setProfileKeys('prod', {aws: {accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 'cred-store-aws-secret-1'}});
	t.is(fileMode(file), 0o600);
	const secrets = await openSessionSecrets('r2m-1');
	secrets.set('unloadSecretAccessKey', 'cred-store-session-secret-1');
	t.is(fileMode(file), 0o600);
	secrets.move('r2m-2');
	t.is(fileMode(file), 0o600);
	await deleteProfileKeys('prod');
	t.is(fileMode(file), 0o600);
});

test.serial('session secrets: set, get, move to the real id, delete', async t => {
	useFerryHome(t);
	const file = await credentialsFilePath();
	const secrets = await openSessionSecrets('pending-id');
	t.is(secrets.get('password'), undefined);
	secrets.set('password', 'cred-store-password-1');
	secrets.set('token', 'cred-store-token-0001');
	t.is(secrets.get('password'), 'cred-store-password-1');
	t.deepEqual(readStored(file).sessions, {'pending-id': {password: 'cred-store-password-1', token: 'cred-store-token-0001'}});

	secrets.move('r2m-real');
	t.is(secrets.get('token'), 'cred-store-token-0001', 'the same store keeps working under the new id');
	t.deepEqual(readStored(file).sessions, {'r2m-real': {password: 'cred-store-password-1', token: 'cred-store-token-0001'}});
	secrets.set('later', 'cred-store-later-0001');
	t.deepEqual(Object.keys(readStored(file).sessions['r2m-real']!), ['password', 'token', 'later']);

	const reopened = await openSessionSecrets('r2m-real');
	t.is(reopened.get('password'), 'cred-store-password-1');

	await deleteSessionSecrets('r2m-real');
	t.deepEqual(readStored(file).sessions, {});
	t.is(reopened.get('password'), undefined);
});

test.serial('moving a store with no secrets yet only renames it', async t => {
	useFerryHome(t);
	const secrets = await openSessionSecrets('empty');
	secrets.move('renamed');
	secrets.set('k', 'cred-store-after-move');
	t.deepEqual(readStored(await credentialsFilePath()).sessions, {renamed: {k: 'cred-store-after-move'}});
});

test.serial('stored secrets are registered for redaction', async t => {
	useFerryHome(t);
	const secrets = await openSessionSecrets('s');
	secrets.set('password', 'cred-store-redact-me-42');
	await setProfileKeys('prod', {alibaba: {accessKeyId: 'LTAIexample', accessKeySecret: 'cred-store-alibaba-secret-7'}});
	t.is(redact('a cred-store-redact-me-42 b cred-store-alibaba-secret-7'), 'a [redacted] b [redacted]');
});

test.serial('profile keys: merge per cloud, read back, delete', async t => {
	useFerryHome(t);
	t.deepEqual(await getProfileKeys('prod'), {});
	const aws = {accessKeyId: 'AKIAEXAMPLE000000002', secretAccessKey: 'cred-store-aws-secret-2'};
	const alibaba = {accessKeyId: 'LTAIexample2', accessKeySecret: 'cred-store-alibaba-secret-2'};
	await setProfileKeys('prod', {aws});
	await setProfileKeys('prod', {alibaba});
	await setProfileKeys('staging', {aws});
	t.deepEqual(await getProfileKeys('prod'), {aws, alibaba});
	await deleteProfileKeys('prod');
	t.deepEqual(await getProfileKeys('prod'), {});
	t.deepEqual(await getProfileKeys('staging'), {aws});
});

test.serial('each FERRY_HOME has its own credentials file', async t => {
	useFerryHome(t);
	await setProfileKeys('prod', {aws: {accessKeyId: 'AKIAEXAMPLE000000003', secretAccessKey: 'cred-store-aws-secret-3'}});
	const first = await credentialsFilePath();
	useFerryHome(t);
	t.not(await credentialsFilePath(), first);
	t.deepEqual(await getProfileKeys('prod'), {});
});

test.serial('temporary tokens stored with profile keys are registered for redaction too', async t => {
	useFerryHome(t);
	await setProfileKeys('sts', {
		aws: {accessKeyId: 'ASIAEXAMPLE000000001', secretAccessKey: 'cred-store-sts-secret-1', sessionToken: 'cred-store-aws-session-token-1'},
		alibaba: {accessKeyId: 'STS.example', accessKeySecret: 'cred-store-sts-secret-2', securityToken: 'cred-store-alibaba-security-token-1'},
	});
	t.is(redact('cred-store-aws-session-token-1 cred-store-alibaba-security-token-1'), '[redacted] [redacted]');
});
