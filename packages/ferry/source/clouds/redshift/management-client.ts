/**
 * The Redshift management API (2012-12-01, AWS SDK v3) for a cluster's IAM roles: DescribeClusters gives each
 * associated role with its ApplyStatus (`adding`, `in-sync`, `removing`); ModifyClusterIamRoles associates or
 * removes one, which the cluster applies some seconds later.
 */
import {DescribeClustersCommand, ModifyClusterIamRolesCommand, RedshiftClient} from '@aws-sdk/client-redshift';
import {awsErrorCode, createSdkCaller, sdkClientConfig, type AwsClientOptions, type CallOptions} from '../aws/sdk-call.js';

export type ClusterIamRole = {arn: string; status: string};
export type ClusterRoles = {identifier: string; status: string; iamRoles: ClusterIamRole[]; defaultIamRoleArn?: string};

export type RedshiftManagementClient = {
	/** The cluster's IAM roles, or undefined when the cluster does not exist (ClusterNotFound). */
	describeCluster(identifier: string, options?: CallOptions): Promise<ClusterRoles | undefined>;
	modifyClusterIamRoles(identifier: string, change: {add?: string[]; remove?: string[]}, options?: CallOptions): Promise<ClusterRoles>;
};

type ClusterShape = {ClusterIdentifier?: string; ClusterStatus?: string; IamRoles?: Array<{IamRoleArn?: string; ApplyStatus?: string}>; DefaultIamRoleArn?: string};

function readCluster(cluster: ClusterShape | undefined): ClusterRoles {
	return {
		identifier: cluster?.ClusterIdentifier ?? '',
		status: cluster?.ClusterStatus ?? '',
		iamRoles: (cluster?.IamRoles ?? []).map(role => ({arn: role.IamRoleArn ?? '', status: role.ApplyStatus ?? ''})),
		...(cluster?.DefaultIamRoleArn ? {defaultIamRoleArn: cluster.DefaultIamRoleArn} : {}),
	};
}

export function createRedshiftManagementClient(options: AwsClientOptions): RedshiftManagementClient {
	const client = new RedshiftClient(sdkClientConfig(options, `https://redshift.${options.region}.amazonaws.com`));
	const call = createSdkCaller('Redshift', options);
	return {
		async describeCluster(identifier, callOptions) {
			try {
				const output = await call('DescribeClusters', async signal => client.send(new DescribeClustersCommand({ClusterIdentifier: identifier}), {abortSignal: signal}), callOptions);
				return readCluster(output.Clusters?.[0]);
			} catch (error) {
				if (awsErrorCode(error) === 'ClusterNotFound' || awsErrorCode(error) === 'ClusterNotFoundFault') {
					return undefined;
				}

				throw error;
			}
		},
		async modifyClusterIamRoles(identifier, change, callOptions) {
			const output = await call('ModifyClusterIamRoles', async signal => client.send(new ModifyClusterIamRolesCommand({
				ClusterIdentifier: identifier,
				...(change.add?.length ? {AddIamRoles: change.add} : {}),
				...(change.remove?.length ? {RemoveIamRoles: change.remove} : {}),
			}), {abortSignal: signal}), callOptions);
			return readCluster(output.Cluster);
		},
	};
}
