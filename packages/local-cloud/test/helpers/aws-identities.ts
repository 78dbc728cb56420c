/**
 * The local AWS side with its identities: S3 and Redshift (startLocalRedshift) on one account, and the IAM, STS and
 * Redshift management stand-ins serving that account and cluster.
 */
import type {StandInHandle} from '../../source/contract.js';
import {localRegion} from '../../source/contract.js';
import {startIamStandIn} from '../../source/iam/server.js';
import {localDatabaseName, localMasterUser} from '../../source/redshift/database.js';
import {startRedshiftManagementStandIn} from '../../source/redshift/management-server.js';
import {startStsStandIn} from '../../source/sts/server.js';
import {startLocalRedshift, type LocalRedshift} from './redshift-local.js';

export type LocalAwsIdentities = LocalRedshift & {iam: StandInHandle; sts: StandInHandle; management: StandInHandle};

export async function startLocalAwsIdentities(options: {iamRoleApplyMs?: number} = {}): Promise<LocalAwsIdentities> {
	const local = await startLocalRedshift(options);
	const iam = await startIamStandIn({account: local.account});
	const sts = await startStsStandIn({account: local.account, region: localRegion});
	const management = await startRedshiftManagementStandIn({
		cluster: local.redshift.cluster, account: local.account, region: localRegion,
		endpoint: {address: '127.0.0.1', port: local.redshift.pgPort}, masterUsername: localMasterUser, databaseName: localDatabaseName,
	});
	const close = local.close;
	return Object.assign(local, {
		iam,
		sts,
		management,
		async close() {
			await Promise.all([iam.close(), sts.close(), management.close()]);
			await close();
		},
	});
}
