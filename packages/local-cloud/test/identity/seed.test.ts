/**
 * The identities a `configured` local cloud is born with: the UNLOAD role Redshift may assume, least-privilege on
 * exactly the bucket and prefix the local profile's redshift-to-maxcompute defaults use.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {localAwsAccountId, localUnloadBucket, localUnloadPrefix, localUnloadRoleArn} from '../../source/contract.js';
import {AwsAccount} from '../../source/iam/account.js';
import {localSeedRoles} from '../../source/iam/seed.js';
import {publishedSettings} from '../../source/published-settings.js';

test('the local profile publishes the bucket, prefix and role the seeded UNLOAD role is made for', t => {
	t.like(publishedSettings({}), {s3Bucket: localUnloadBucket, s3Prefix: localUnloadPrefix, unloadRoleArn: localUnloadRoleArn});
});

test('the UNLOAD role trusts only Redshift and may write, list and clean only under the unload prefix', async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-seed-'));
	try {
		const account = AwsAccount.open({dataDir, accountId: localAwsAccountId, rootKeys: {accessKeyId: 'AKIAROOT', secretAccessKey: 'secret-root-key'}, seed: 'configured', seedRoles: localSeedRoles});
		t.deepEqual(account.roles().map(role => account.roleArn(role)), [localUnloadRoleArn]);
		const assumed = account.assumeRole({service: 'redshift.amazonaws.com'}, {roleArn: localUnloadRoleArn, sessionName: 'RedshiftIamRoleSession'});
		t.false('reason' in assumed);
		t.like(account.assumeRole({service: 'glue.amazonaws.com'}, {roleArn: localUnloadRoleArn, sessionName: 'x'}), {reason: 'not-trusted'});
		if ('reason' in assumed) {
			return;
		}

		const may = (action: string, resource: string, context?: Record<string, string>) => account.authorize(assumed.caller, {action, resource, ...(context ? {context} : {})}).decision;
		const object = (key: string) => `arn:aws:s3:::${localUnloadBucket}/${key}`;
		t.is(may('s3:PutObject', object(`${localUnloadPrefix}orders/orders_0000_part_00.parquet`)), 'allowed');
		t.is(may('s3:DeleteObject', object(`${localUnloadPrefix}orders/orders_0000_part_00.parquet`)), 'allowed');
		t.is(may('s3:PutObject', object('elsewhere/file')), 'implicitDeny');
		t.is(may('s3:GetObject', object(`${localUnloadPrefix}orders/x`)), 'implicitDeny');
		t.is(may('s3:ListBucket', `arn:aws:s3:::${localUnloadBucket}`, {'s3:prefix': `${localUnloadPrefix}orders/orders_`}), 'allowed');
		t.is(may('s3:ListBucket', `arn:aws:s3:::${localUnloadBucket}`, {'s3:prefix': 'elsewhere/'}), 'implicitDeny');
		t.is(may('s3:ListBucket', `arn:aws:s3:::${localUnloadBucket}`), 'implicitDeny', 'listing the whole bucket');
		t.is(may('s3:PutObject', `arn:aws:s3:::other-bucket/${localUnloadPrefix}x`), 'implicitDeny');
		t.is(may('s3:DeleteBucket', `arn:aws:s3:::${localUnloadBucket}`), 'implicitDeny');
	} finally {
		await rm(dataDir, {recursive: true, force: true});
	}
});
