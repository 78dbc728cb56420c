import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import test from 'ava';
import {ConfigurationError, UsageError} from '../../source/engine/errors.js';
import {getProfileKeys, setProfileKeys} from '../../source/store/credentials-store.js';
import {getProfile, listProfiles, listProfileSummaries, localProfile, removeProfile, saveProfile, validateProfileName, type Profile} from '../../source/store/profiles.js';
import {useFerryHome} from '../helpers/ferry-home.js';

function profile(name: string): Profile {
	return {
		name,
		description: `The ${name} accounts`,
		aws: {region: 'us-east-1', credentials: {kind: 'chain', profile: 'default'}, endpoints: {s3: 'https://s3.us-east-1.amazonaws.com'}},
		alibaba: {region: 'ap-southeast-1', accountId: '1234567890', credentials: {kind: 'stored'}},
	};
}

test.serial('the built-in local profile is always listed first', async t => {
	useFerryHome(t);
	t.deepEqual(await listProfiles(), [localProfile]);
	await saveProfile(profile('zeta'));
	await saveProfile(profile('alpha'));
	const names = (await listProfiles()).map(item => item.name);
	t.is(names[0], 'local');
	t.deepEqual(new Set(names.slice(1)), new Set(['zeta', 'alpha']));
	t.is(names.length, 3);
	t.is(await getProfile('local'), localProfile);
});

test.serial('save, get and overwrite a profile', async t => {
	const home = useFerryHome(t);
	const prod = profile('prod');
	await saveProfile(prod);
	t.deepEqual(await getProfile('prod'), prod);
	const stored = JSON.parse(readFileSync(path.join(home, 'config', 'profiles.json'), 'utf8')) as {profiles: Record<string, Profile>};
	t.deepEqual(stored.profiles['prod'], prod);
	await saveProfile({...prod, description: 'changed'});
	t.is((await getProfile('prod')).description, 'changed');
	t.is((await listProfiles()).length, 2);
});

test.serial('an unknown profile is a configuration error', async t => {
	useFerryHome(t);
	const error = await t.throwsAsync(getProfile('missing'), {instanceOf: ConfigurationError});
	t.is(error?.exitCode, 3);
	t.is(error?.message, 'No profile named missing');
});

test.serial('the reserved name and malformed names are refused', async t => {
	useFerryHome(t);
	t.truthy(validateProfileName('local'));
	t.is(validateProfileName('prod_eu-1'), undefined);
	t.is(validateProfileName('a'.repeat(63)), undefined);
	for (const bad of ['local', '', 'has space', '-leading', 'slash/name', 'dot.name', 'a'.repeat(64), 'ünïcode']) {
		await t.throwsAsync(saveProfile(profile(bad)), {instanceOf: UsageError}, JSON.stringify(bad));
	}

	t.deepEqual(await listProfiles(), [localProfile], 'nothing was saved');
});

test.serial('removing a profile deletes its stored keys, and only its own', async t => {
	useFerryHome(t);
	await saveProfile(profile('prod'));
	await saveProfile(profile('staging'));
	await setProfileKeys('prod', {alibaba: {accessKeyId: 'LTAIprod', accessKeySecret: 'profiles-test-secret-1'}});
	await setProfileKeys('staging', {alibaba: {accessKeyId: 'LTAIstaging', accessKeySecret: 'profiles-test-secret-2'}});
	await removeProfile('prod');
	await t.throwsAsync(getProfile('prod'), {instanceOf: ConfigurationError});
	t.deepEqual(await getProfileKeys('prod'), {});
	t.deepEqual(await getProfileKeys('staging'), {alibaba: {accessKeyId: 'LTAIstaging', accessKeySecret: 'profiles-test-secret-2'}});
	t.deepEqual((await listProfiles()).map(item => item.name), ['local', 'staging']);
});

test.serial('the local profile cannot be removed, and removing an unknown one is a usage error', async t => {
	useFerryHome(t);
	await t.throwsAsync(removeProfile('local'), {instanceOf: UsageError});
	await t.throwsAsync(removeProfile('ghost'), {instanceOf: UsageError, message: 'No profile named ghost'});
});

test.serial('a hand-edited profiles file that breaks the schema fails loudly and is not wiped', async t => {
	const home = useFerryHome(t);
	const file = path.join(home, 'config', 'profiles.json');
	const broken = JSON.stringify({profiles: {prod: {name: 'prod', aws: {region: 'us-east-1'}}}});
	mkdirSync(path.dirname(file), {recursive: true});
	writeFileSync(file, broken);
	const error = await t.throwsAsync(listProfiles(), {instanceOf: ConfigurationError});
	t.true(error?.message.startsWith('The profiles file is invalid'));
	t.true(error?.hint?.includes(file));
	t.is(readFileSync(file, 'utf8'), broken);
});

test.serial('the home screen\'s summaries list the same profiles as conf, read from the file alone', async t => {
	useFerryHome(t);
	t.deepEqual(listProfileSummaries().map(item => item.name), ['local']);
	await saveProfile(profile('zeta'));
	await saveProfile({...profile('alibaba-only'), aws: undefined, description: undefined} as unknown as Profile);
	const summaries = listProfileSummaries();
	t.deepEqual(summaries.map(item => item.name), (await listProfiles()).map(item => item.name));
	t.deepEqual(summaries.find(item => item.name === 'zeta'), {name: 'zeta', description: 'The zeta accounts'});
	t.is(summaries.find(item => item.name === 'alibaba-only')?.description, 'Alibaba Cloud ap-southeast-1');
});

test.serial('summaries of a broken or unreadable profiles file fail with a cause and a hint, not a stack', t => {
	const home = useFerryHome(t);
	const file = path.join(home, 'config', 'profiles.json');
	mkdirSync(path.dirname(file), {recursive: true});
	writeFileSync(file, '{"profiles": ');
	const broken = t.throws(() => listProfileSummaries(), {instanceOf: ConfigurationError});
	t.regex(broken.message, /profiles file is invalid/);
	t.regex(broken.hint ?? '', /Fix or remove/);
	if (process.getuid?.() !== 0) {
		writeFileSync(file, '{"profiles": {}}');
		chmodSync(file, 0o000);
		const denied = t.throws(() => listProfileSummaries(), {instanceOf: ConfigurationError});
		t.regex(denied.message, /may not read its profiles file/);
	}
});
