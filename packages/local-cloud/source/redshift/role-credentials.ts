/**
 * What the cluster does with `IAM_ROLE 'arn…'` when UNLOAD runs: the role must be associated with the cluster and
 * in-sync, its trust policy must let redshift.amazonaws.com assume it, and then S3 sees the role's session
 * (`RedshiftIamRoleSession`) and authorizes it by the role's policies. The refusals read as Redshift's own:
 * - not associated: "User arn:aws:redshift:REGION:ACCOUNT:dbuser:CLUSTER/USER is not authorized to assume IAM Role
 *   ARN" (Redshift's answer quoted in fullstorydev/hauser#10);
 * - not trusted (or gone): "Not authorized to get credentials of role ARN" (quoted in
 *   terraform-aws-modules/terraform-aws-dms#5, whose cause was a trust policy without redshift.amazonaws.com).
 * `IAM_ROLE default` takes the cluster's DefaultIamRoleArn; Redshift's text for a cluster without one could not be
 * found offline, so that message is the stand-in's own.
 */
import type {AwsKeys} from '../contract.js';
import type {AwsAccount} from '../iam/account.js';
import type {RedshiftCluster} from './cluster.js';
import {UnloadError} from './unload.js';

/** The session name Redshift gives the role it assumes (seen in S3's denials of it, e.g. dbt-labs/redshift#62). */
export const redshiftRoleSessionName = 'RedshiftIamRoleSession';

export function clusterRoleCredentials(options: {cluster: RedshiftCluster; account: AwsAccount; dbUser: string}): (roleArn: string) => AwsKeys {
	const {cluster, account} = options;
	return roleArn => {
		const arn = roleArn.toLowerCase() === 'default' ? cluster.defaultIamRoleArn : roleArn;
		if (arn === undefined) {
			throw new UnloadError(`IAM_ROLE default was given, but the cluster ${cluster.identifier} has no default IAM role`);
		}

		if (!cluster.inSync(arn)) {
			throw new UnloadError(`User arn:aws:redshift:${cluster.region}:${cluster.accountId}:dbuser:${cluster.identifier}/${options.dbUser} is not authorized to assume IAM Role ${arn}`);
		}

		const assumed = account.assumeRole({service: 'redshift.amazonaws.com'}, {roleArn: arn, sessionName: redshiftRoleSessionName});
		if ('reason' in assumed) {
			throw new UnloadError(`Not authorized to get credentials of role ${arn}`);
		}

		return {accessKeyId: assumed.session.accessKeyId, secretAccessKey: assumed.session.secret, sessionToken: assumed.session.token};
	};
}
