/**
 * What a local AWS account seeded `configured` is born with: the role Redshift assumes for UNLOAD, as Steps 1.1–1.4
 * of the Redshift procedure make it by hand, but least-privilege instead of AmazonS3FullAccess: it trusts
 * redshift.amazonaws.com and may write (and, for CLEANPATH, delete) only under the local profile's unload prefix.
 * The Redshift stand-in associates it with `ferry-local` (in-sync) and makes it the cluster's default role.
 * Seeded `missing`, the account has none of this (`ferry local-cloud start --identities missing`).
 */
import {localUnloadBucket, localUnloadPrefix, localUnloadRoleName} from '../contract.js';
import type {SeedRole} from './account.js';

export const redshiftTrustPolicy = JSON.stringify({
	Version: '2012-10-17',
	Statement: [{Effect: 'Allow', Principal: {Service: 'redshift.amazonaws.com'}, Action: 'sts:AssumeRole'}],
}, undefined, 4);

/** The UNLOAD role's inline policy: PutObject and DeleteObject under the prefix, ListBucket of the prefix, the bucket's location. */
export function unloadPolicy(bucket: string, prefix: string): string {
	return JSON.stringify({
		Version: '2012-10-17',
		Statement: [
			{Sid: 'WriteUnloadFiles', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: `arn:aws:s3:::${bucket}/${prefix}*`},
			{Sid: 'ListUnloadPrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: {StringLike: {'s3:prefix': `${prefix}*`}}},
			{Sid: 'FindUnloadBucket', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: `arn:aws:s3:::${bucket}`},
		],
	}, undefined, 4);
}

export const unloadPolicyName = 'ferry-local-unload-s3';

export const localSeedRoles: readonly SeedRole[] = [{
	name: localUnloadRoleName,
	description: 'Lets Redshift UNLOAD write Parquet files under the local profile\'s unload prefix',
	trustPolicy: redshiftTrustPolicy,
	inline: {[unloadPolicyName]: unloadPolicy(localUnloadBucket, localUnloadPrefix)},
}];
