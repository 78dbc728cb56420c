/**
 * What the local profile publishes (the state file's `settings`): answer defaults naming what the local cloud seeded,
 * so every procedure runs on it with no typing. Keys are answer keys; a real profile's settings work the same way.
 */
import {localAlibabaAccountId, localDataWorksWorkspace, localLandingBucket, localMaxComputeProject, localMigrationRoleName, localRamRoleArn, localRegion, localUnloadBucket, localUnloadPrefix, localUnloadRoleArn} from './contract.js';
import {localDatabaseName, localMasterUser} from './redshift/database.js';

/** Secret answers as references into the keys file: the wire's master password is the account's AWS secret key. */
export const publishedSecretSettings: Readonly<Record<string, string>> = {redshiftPassword: 'aws.secretAccessKey'};

export function publishedSettings(doorPorts: Readonly<Record<string, number>>): Record<string, string> {
	return {
		redshiftCluster: 'ferry-local',
		redshiftDbUser: localMasterUser,
		redshiftDatabase: localDatabaseName,
		...(doorPorts['redshift-pg'] ? {redshiftHost: '127.0.0.1', redshiftPort: String(doorPorts['redshift-pg']), redshiftUser: localMasterUser} : {}),
		s3Bucket: localUnloadBucket,
		// The seeded UNLOAD role may write under this prefix only (iam/seed.ts).
		s3Prefix: localUnloadPrefix,
		unloadRoleArn: localUnloadRoleArn,
		migrationRoleName: localMigrationRoleName,
		ossRegion: localRegion,
		ossBucket: localLandingBucket,
		maxcomputeProject: localMaxComputeProject,
		loadRoleArn: localRamRoleArn,
		alibabaAccountId: localAlibabaAccountId,
		datahubProject: 'ferry_logs',
		records: '10000',
		logProject: 'ferry-logs',
		workspaceId: String(localDataWorksWorkspace.id),
		dataworksWorkspaceId: String(localDataWorksWorkspace.id),
		dataworksScheduleFolder: localDataWorksWorkspace.folders[0]!,
		dataworksManualFolder: 'Workflow/ferry_manual/Data Integration',
		resourceGroup: localDataWorksWorkspace.resourceGroups[0]!,
	};
}
