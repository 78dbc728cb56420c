import test from 'ava';
import {runPreflight} from '../../../wizards/redshift-to-maxcompute/preflight.js';
import {describeError, PreflightError, ServiceError} from '../../../source/engine/errors.js';

const check = (id: string, run: () => Promise<{detail: string; ok?: boolean}>) => ({id, title: id, run});

test('wrong credentials at preflight exit 3, not 4', async t => {
	const error = await t.throwsAsync(runPreflight([
		check('s3', async () => {
			throw new ServiceError('s3', 'InvalidAccessKeyId', {status: 403, auth: true});
		}),
		check('region', async () => ({ok: false, detail: 'different regions'})),
	], () => undefined), {instanceOf: PreflightError});
	t.is(describeError(error).exitCode, 3);
});

test('an unreachable endpoint at preflight exits 3', async t => {
	const error = await t.throwsAsync(runPreflight([
		check('maxcompute', async () => {
			throw new TypeError('fetch failed', {cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'})});
		}),
	], () => undefined));
	t.is(describeError(error).exitCode, 3);
});

test('a check that fails on its own exits 4', async t => {
	const error = await t.throwsAsync(runPreflight([check('region', async () => ({ok: false, detail: 'different regions'}))], () => undefined));
	t.is(describeError(error).exitCode, 4);
});

test('two checks failing for the same cause give its hint once', async t => {
	const missingProject = () => new ServiceError('MaxCompute', 'project "nosuch" not found', {status: 404, auth: true, hint: 'Check the project name.'});
	const error = await t.throwsAsync(runPreflight([
		check('maxcompute', async () => {
			throw missingProject();
		}),
		check('types', async () => {
			throw missingProject();
		}),
	], () => undefined), {instanceOf: PreflightError});
	t.is(error?.hint, 'Check the project name.');
});
