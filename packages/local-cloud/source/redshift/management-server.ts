/**
 * The Redshift management API (query protocol, Version 2012-12-01, SigV4 service `redshift`) for the cluster the
 * Redshift stand-in serves: DescribeClusters with its IamRoles and DefaultIamRoleArn, and ModifyClusterIamRoles,
 * whose changes apply a few seconds later (ApplyStatus `adding` → `in-sync`, `removing` → gone). Its own endpoint,
 * as Redshift's management API and Data API have separate endpoints.
 */
import type {StandInHandle} from '../contract.js';
import type {AwsAccount, Caller} from '../iam/account.js';
import {evaluatePolicies, parsePolicy} from 'ferry/identity/policy';
import type {XmlElement} from '../object-store/xml.js';
import {constraintError, required, serveQueryService} from '../query-protocol.js';
import {StandInError} from '../stand-in-kit.js';
import type {RedshiftCluster} from './cluster.js';

export const redshiftNamespace = 'http://redshift.amazonaws.com/doc/2012-12-01/';

/**
 * IAM roles per cluster: 50, not adjustable, in most regions (10 in a few others, ap-southeast-1 not among them),
 * per the Redshift Management Guide's "Quotas and limits".
 */
export const iamRolesPerCluster = 50;

export type RedshiftManagementOptions = {
	cluster: RedshiftCluster;
	account: AwsAccount;
	region: string;
	/** Where the cluster's database answers (the stand-in's PostgreSQL wire). */
	endpoint: {address: string; port: number};
	masterUsername: string;
	databaseName: string;
	port?: number;
};

export async function startRedshiftManagementStandIn(options: RedshiftManagementOptions): Promise<StandInHandle> {
	const {cluster, account} = options;

	const authorize = (caller: Caller, action: string, resource: string) => {
		const result = account.authorize(caller, {action, resource});
		if (result.decision !== 'allowed') {
			throw new StandInError(403, 'AccessDenied', result.message);
		}
	};

	const requireCluster = (identifier: string | undefined) => {
		if (identifier !== undefined && identifier !== cluster.identifier) {
			throw new StandInError(404, 'ClusterNotFound', `Cluster ${identifier} not found.`);
		}
	};

	const clusterXml = (): XmlElement => {
		const modifying = cluster.modifying;
		return {
			ClusterIdentifier: cluster.identifier,
			NodeType: 'ra3.large',
			ClusterStatus: modifying ? 'modifying' : 'available',
			ClusterAvailabilityStatus: modifying ? 'Modifying' : 'Available',
			MasterUsername: options.masterUsername,
			DBName: options.databaseName,
			Endpoint: {Address: options.endpoint.address, Port: options.endpoint.port},
			ClusterCreateTime: cluster.createdAt,
			AutomatedSnapshotRetentionPeriod: 1,
			ManualSnapshotRetentionPeriod: -1,
			ClusterSecurityGroups: {},
			VpcSecurityGroups: {},
			ClusterParameterGroups: {ClusterParameterGroup: [{ParameterGroupName: 'default.redshift-1.0', ParameterApplyStatus: 'in-sync'}]},
			AvailabilityZone: `${options.region}a`,
			PreferredMaintenanceWindow: 'sun:18:00-sun:18:30',
			PendingModifiedValues: {},
			ClusterVersion: '1.0',
			AllowVersionUpgrade: true,
			NumberOfNodes: 1,
			PubliclyAccessible: false,
			Encrypted: true,
			ClusterNodes: {member: [{NodeRole: 'SHARED', PrivateIPAddress: options.endpoint.address, PublicIPAddress: options.endpoint.address}]},
			Tags: {},
			EnhancedVpcRouting: false,
			IamRoles: {ClusterIamRole: cluster.iamRoles().map(role => ({IamRoleArn: role.arn, ApplyStatus: role.status}))},
			MaintenanceTrackName: 'current',
			ClusterNamespaceArn: `arn:aws:redshift:${options.region}:${account.accountId}:namespace:${cluster.identifier}`,
			...(cluster.defaultIamRoleArn ? {DefaultIamRoleArn: cluster.defaultIamRoleArn} : {}),
			MultiAZ: 'Disabled',
		};
	};

	/**
	 * Redshift refuses a role it cannot use: "InvalidParameterValue: The IAM role NAME is not valid. The IAM role must
	 * delegate access to an Amazon Redshift account." (the service's answer quoted in hashicorp/terraform-provider-aws
	 * #19113), when the role's trust policy does not let redshift.amazonaws.com assume it. A role that does not exist
	 * gets the same answer here: the real text for it could not be found offline.
	 */
	const checkAssumable = (arn: string) => {
		const role = account.roleByArn(arn);
		const trusted = role && evaluatePolicies([{id: 'trust', policy: parsePolicy(role.trustPolicy, {dialect: 'aws', kind: 'trust'})}], {
			action: 'sts:AssumeRole', resource: arn, principal: {type: 'Service', name: 'redshift.amazonaws.com'},
		}).decision === 'allowed';
		if (!trusted) {
			throw new StandInError(400, 'InvalidParameterValue', `The IAM role ${arn.split('/').at(-1)} is not valid. The IAM role must delegate access to an Amazon Redshift account.`);
		}
	};

	return serveQueryService({
		name: 'redshift-management',
		service: 'redshift',
		regions: [options.region],
		version: '2012-12-01',
		namespace: redshiftNamespace,
		account,
		...(options.port ? {port: options.port} : {}),
		operations: {
			DescribeClusters(parameters, caller) {
				const identifier = parameters.get('ClusterIdentifier');
				if (identifier !== undefined && parameters.get('Marker') !== undefined) {
					throw new StandInError(400, 'InvalidParameterCombination', 'A ClusterIdentifier and a Marker cannot be specified together.');
				}

				const maxRecords = parameters.get('MaxRecords');
				if (maxRecords !== undefined && !(Number(maxRecords) >= 20 && Number(maxRecords) <= 100)) {
					throw new StandInError(400, 'InvalidParameterValue', 'MaxRecords must be between 20 and 100.');
				}

				requireCluster(identifier);
				authorize(caller, 'redshift:DescribeClusters', cluster.arn);
				return {Clusters: {Cluster: [clusterXml()]}};
			},

			ModifyClusterIamRoles(parameters, caller) {
				const identifier = required(parameters, 'ClusterIdentifier', 'clusterIdentifier');
				requireCluster(identifier);
				authorize(caller, 'redshift:ModifyClusterIamRoles', cluster.arn);
				const add = parameters.list('AddIamRoles');
				const remove = parameters.list('RemoveIamRoles');
				const defaultArn = parameters.get('DefaultIamRoleArn');
				for (const arn of [...add, ...remove, ...(defaultArn ? [defaultArn] : [])]) {
					if (!/^arn:aws:iam::\d{12}:role\/.+/.test(arn)) {
						throw constraintError('iamRoleArn', arn, 'Member must be an IAM role ARN');
					}
				}

				// Passing a role to Redshift needs iam:PassRole on it (Redshift Management Guide, "Associating IAM roles with clusters").
				for (const arn of add) {
					authorize(caller, 'iam:PassRole', arn);
					checkAssumable(arn);
				}

				const current = cluster.iamRoles().filter(role => role.status !== 'removing').map(role => role.arn);
				const after = new Set([...current.filter(arn => !remove.includes(arn)), ...add]);
				if (after.size > iamRolesPerCluster) {
					// The service's text for this quota could not be found offline.
					throw new StandInError(400, 'InvalidParameterValue', `A cluster can have at most ${iamRolesPerCluster} IAM roles associated with it.`);
				}

				if (defaultArn && !after.has(defaultArn)) {
					throw new StandInError(400, 'InvalidParameterValue', `The default IAM role ${defaultArn} must be associated with the cluster.`);
				}

				cluster.modifyIamRoles({add, remove, ...(defaultArn ? {defaultIamRoleArn: defaultArn} : {})});
				return {Cluster: clusterXml()};
			},
		},
	});
}
