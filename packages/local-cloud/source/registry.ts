/**
 * Every stand-in of the local cloud, by the name of the service it stands in for (the names of ferry's service
 * descriptors, which the state file's endpoints are keyed by), in the order they start when nothing says otherwise.
 * Adding a stand-in is adding an entry here; each loads its server lazily.
 */
import type {StandInDescriptor} from './contract.js';
import {localAlibabaAccountId, localAwsAccountId, localDataWorksWorkspace, localMaxComputeProject, localUnloadRoleArn} from './contract.js';

export type StandIn = StandInDescriptor & {name: string};

const s3: StandIn = {
	name: 's3',
	// The account's IAM users and role sessions reach S3 too, authorized by their policies.
	needs: ['iam'],
	async start({dataDir, region, credentials, port, running}) {
		const [{accountOf}, {startObjectStoreStandIn}] = await Promise.all([import('./iam/account.js'), import('./object-store/server.js')]);
		return startObjectStoreStandIn({
			flavor: 's3', dataDir, region, credentials: {accessKeyId: credentials.aws.accessKeyId, secret: credentials.aws.secretAccessKey},
			account: accountOf(running['iam']), ...(port ? {port} : {}),
		});
	},
};

const ram: StandIn = {
	name: 'ram',
	async start({dataDir, credentials, port, identities}) {
		const [{RamAccount}, {seedIdentities}, {startRamStandIn}] = await Promise.all([import('./ram/account.js'), import('./ram/seed.js'), import('./ram/server.js')]);
		const {account, fresh} = RamAccount.open({dataDir, accountId: localAlibabaAccountId, rootKeys: credentials.alibaba});
		if (fresh) {
			seedIdentities(account, identities);
		}

		return startRamStandIn({account, ...(port ? {port} : {})});
	},
};

const alibabaSts: StandIn = {
	name: 'alibaba-sts',
	needs: ['ram'],
	async start({running, port}) {
		const [{ramAccountOf}, {startAlibabaStsStandIn}] = await Promise.all([import('./ram/account.js'), import('./ram/sts-server.js')]);
		return startAlibabaStsStandIn({account: ramAccountOf(running['ram']), ...(port ? {port} : {})});
	},
};

const oss: StandIn = {
	name: 'oss',
	// OSS asks RAM who signed a request and what that identity may do (RAM users, STS sessions).
	needs: ['ram'],
	async start({dataDir, region, credentials, port, running}) {
		const [{startObjectStoreStandIn}, {ossAccessFor}, {ramAccountOf}] = await Promise.all([import('./object-store/server.js'), import('./object-store/access.js'), import('./ram/account.js')]);
		return startObjectStoreStandIn({
			flavor: 'oss',
			dataDir,
			region,
			credentials: {accessKeyId: credentials.alibaba.accessKeyId, secret: credentials.alibaba.accessKeySecret},
			access: ossAccessFor(ramAccountOf(running['ram']), region),
			...(port ? {port} : {}),
		});
	},
};

const redshift: StandIn = {
	name: 'redshift',
	needs: ['s3', 'iam'],
	doors: ['redshift-pg'],
	async start({dataDir, region, credentials, port, doorPorts, scaleFactor, running}) {
		const [{accountOf}, {startRedshiftStandIn}] = await Promise.all([import('./iam/account.js'), import('./redshift/stand-in.js')]);
		const account = accountOf(running['iam']);
		// The cluster is born with the account's identities: the UNLOAD role associated and default when seeded `configured`.
		const seeded = account.seededWith === 'configured';
		const handle = await startRedshiftStandIn({
			dataDir,
			region,
			credentials: {accessKeyId: credentials.aws.accessKeyId, secret: credentials.aws.secretAccessKey},
			unload: {endpoint: running['s3']!.url, region},
			account,
			seedIamRoles: seeded ? {iamRoles: [localUnloadRoleArn], defaultIamRoleArn: localUnloadRoleArn} : {iamRoles: []},
			scaleFactor,
			...(port ? {port} : {}),
			...(doorPorts['redshift-pg'] ? {pgPort: doorPorts['redshift-pg']} : {}),
		});
		return {...handle, doorPorts: {'redshift-pg': handle.pgPort}};
	},
};

/** Redshift's management API: its own endpoint, serving the Redshift stand-in's cluster. */
const redshiftManagement: StandIn = {
	name: 'redshift-management',
	needs: ['redshift', 'iam'],
	async start({region, port, running}) {
		const [{accountOf}, {clusterOf}, {startRedshiftManagementStandIn}, {localDatabaseName, localMasterUser}] = await Promise.all([
			import('./iam/account.js'),
			import('./redshift/cluster.js'),
			import('./redshift/management-server.js'),
			import('./redshift/database.js'),
		]);
		const handle = running['redshift']!;
		return startRedshiftManagementStandIn({
			cluster: clusterOf(handle),
			account: accountOf(running['iam']),
			region,
			endpoint: {address: '127.0.0.1', port: handle.doorPorts?.['redshift-pg'] ?? 5439},
			masterUsername: localMasterUser,
			databaseName: localDatabaseName,
			...(port ? {port} : {}),
		});
	},
};

/** IAM holds the account's identities (iam/account.ts), which the other AWS stand-ins ask in-process. */
const iam: StandIn = {
	name: 'iam',
	async start({dataDir, credentials, port, identities}) {
		const [{AwsAccount}, {localSeedRoles}, {startIamStandIn}] = await Promise.all([import('./iam/account.js'), import('./iam/seed.js'), import('./iam/server.js')]);
		const account = AwsAccount.open({dataDir, accountId: localAwsAccountId, rootKeys: credentials.aws, seed: identities, seedRoles: localSeedRoles});
		return startIamStandIn({account, ...(port ? {port} : {})});
	},
};

const awsSts: StandIn = {
	name: 'aws-sts',
	needs: ['iam'],
	async start({region, port, running}) {
		const [{accountOf}, {startStsStandIn}] = await Promise.all([import('./iam/account.js'), import('./sts/server.js')]);
		return startStsStandIn({account: accountOf(running['iam']), region, ...(port ? {port} : {})});
	},
};

const onlineMigration: StandIn = {
	name: 'online-migration',
	// An OSS address names a RAM role, which the service assumes (STS) to write the bucket.
	needs: ['oss', 'ram'],
	async start({dataDir, region, credentials, port, running}) {
		const [{startOnlineMigrationStandIn}, {ramAccountOf}] = await Promise.all([import('./online-migration/server.js'), import('./ram/account.js')]);
		return startOnlineMigrationStandIn({
			dataDir,
			region,
			accountId: localAlibabaAccountId,
			credentials: {accessKeyId: credentials.alibaba.accessKeyId, secret: credentials.alibaba.accessKeySecret},
			oss: {endpoint: running['oss']!.url, region},
			identities: ramAccountOf(running['ram']),
			...(port ? {port} : {}),
		});
	},
};

const maxcompute: StandIn = {
	name: 'maxcompute',
	// LOAD reads OSS with a role assumed in RAM; requests are signed by the account, its RAM users or STS sessions.
	needs: ['oss', 'ram'],
	async start({dataDir, region, credentials, port, running}) {
		const [{startMaxComputeStandIn}, {createOssStandInReader}, {ramAccountOf}] = await Promise.all([import('./maxcompute/server.js'), import('./maxcompute/oss-reader.js'), import('./ram/account.js')]);
		const identities = ramAccountOf(running['ram']);
		return startMaxComputeStandIn({
			dataDir,
			region,
			project: localMaxComputeProject,
			credentials: {accessKeyId: credentials.alibaba.accessKeyId, secret: credentials.alibaba.accessKeySecret},
			accountId: localAlibabaAccountId,
			identities,
			ossReader: createOssStandInReader({ossEndpoint: running['oss']!.url, region, identities}),
			...(port ? {port} : {}),
		});
	},
};

const datahub: StandIn = {
	name: 'datahub',
	async start({dataDir, region, credentials, port}) {
		const {startDataHubStandIn} = await import('./datahub/server.js');
		return startDataHubStandIn({dataDir, region, credentials: {accessKeyId: credentials.alibaba.accessKeyId, secret: credentials.alibaba.accessKeySecret}, ...(port ? {port} : {})});
	},
};

const logService: StandIn = {
	name: 'log-service',
	async start({dataDir, region, credentials, port}) {
		const {startLogServiceStandIn} = await import('./log-service/server.js');
		return startLogServiceStandIn({dataDir, region, credentials: {accessKeyId: credentials.alibaba.accessKeyId, secret: credentials.alibaba.accessKeySecret}, ...(port ? {port} : {})});
	},
};

const dataworks: StandIn = {
	name: 'dataworks',
	needs: ['maxcompute', 'log-service'],
	async start({dataDir, region, credentials, port, running}) {
		const [{startDataWorksStandIn}, {createDiRunner}, {createLogServiceClient}, {createMaxComputeClient}, {seedLogDetailTable}, {silentLogger}] = await Promise.all([
			import('./dataworks/server.js'),
			import('./dataworks/di-runner.js'),
			import('ferry/clouds/log-service/client'),
			import('ferry/clouds/maxcompute/client'),
			import('./maxcompute/seed-log-detail.js'),
			import('ferry/log/logger'),
		]);
		const keys = {accessKeyId: credentials.alibaba.accessKeyId, accessKeySecret: credentials.alibaba.accessKeySecret};
		// The procedure's example table, so the procedure runs with no input.
		await seedLogDetailTable(createMaxComputeClient({endpoint: running['maxcompute']!.url, project: localMaxComputeProject, credentials: keys, logger: silentLogger}));
		// The LogHub writer reaches Log Service over its HTTP API, as DataX's writer does through the SLS SDK.
		const runner = createDiRunner({sink: {
			async putLogs(target, group) {
				const client = createLogServiceClient({endpoint: target.endpoint, credentials: {description: 'the LogHub data source', getCredentials: async () => ({accessKeyId: target.accessKeyId, accessKeySecret: target.accessKeySecret})}});
				await client.putLogs(target.project, target.logstore, {topic: group.topic, source: group.source, logs: group.logs.map(log => ({time: log.time, contents: log.contents}))});
			},
		}});
		return startDataWorksStandIn({dataDir, region, credentials: {accessKeyId: keys.accessKeyId, secret: keys.accessKeySecret}, accountId: localAlibabaAccountId, workspace: localDataWorksWorkspace, runner, ...(port ? {port} : {})});
	},
};

export const standIns: readonly StandIn[] = [s3, oss, redshift, redshiftManagement, iam, awsSts, ram, alibabaSts, onlineMigration, maxcompute, datahub, logService, dataworks];
