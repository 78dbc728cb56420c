import {defaultMaxFileSizeMb, planReview, planTable, unloadFor, type MigrationPlan} from './migration-plan.js';
import {createTableTasks, loadTasks, type LoadResult} from './maxcompute-tables.js';
import {preflightChecks, runPreflight, type Check} from './preflight.js';
import {checkIdentities, identityChecks, withUnloadRoleHint} from './identities.js';
import {checkParity, transferWithOnlineMigration, transferWithStream} from './transfer.js';
import {ensureBucket, unloadTasks, type UnloadResult} from './unload.js';
import {migrationChecks} from './verification.js';
import type {CopyRecord} from '../../source/clouds/object-store/parity.js';
import {count, defaultRelativeTolerance, defineWizard, findingsKey, identitiesStep, identityCheck, identityReviewSections, type IdentityFinding, describeTable, formatBytes, listTables, mapConcurrent, maxComputeSide, StepError, stepSummary, verifyStep, type Inventory, type QueryPair} from '../../source/kit.js';
import {ossInternalEndpoint} from './sql.js';
import {createMigrationClients, type MigrationClients} from './clients.js';
import {procedure, type Context} from './procedure.js';
import {about} from './about.js';
import {parameters} from './parameters.js';
import {facts} from './facts.js';

function planOf(context: Context): MigrationPlan {
	const plan = context.outputs.plan?.plan;
	if (!plan) {
		throw new StepError('The migration plan is missing from the session', {hint: 'Start a new run; the plan is made at the review step.'});
	}

	return plan;
}

function selectedTables(context: Context): string[] {
	// Asked by the tables step: a step before it runs without.
	return (context.answers.tables as string[] | undefined) ?? [];
}

/** Each identity as a preflight check; the findings are saved as they come, for the plan and the identities step. */
function preflightIdentityChecks(context: Context<'preflight'>): Check[] {
	const findings: IdentityFinding[] = [];
	context.output(findingsKey, findings);
	return identityChecks(async () => context.clients.identities(context.signal), context.answers, context.sessionId, context.signal).map(check => ({
		id: check.id,
		title: check.title,
		async run() {
			const finding = await check.run();
			findings.push(finding);
			context.output(findingsKey, findings);
			return identityCheck(finding, context.answers, context.mode);
		},
	}));
}

const wizard = defineWizard<MigrationClients>({
	...about,
	version: 1,
	parameters,
	facts,
	createClients: procedure.createClients(createMigrationClients),
	async closeClients(clients) {
		await clients.redshift.close();
	},
	sides: {
		source: {
			title: 'Amazon Redshift',
			async query(clients, statement, {signal}) {
				const result = await clients.redshift.query(statement, {signal});
				return {columns: result.columns.map(column => column.name), rows: result.rows};
			},
		},
		target: maxComputeSide<MigrationClients>(clients => clients.maxcompute),
	},
	steps: [
		procedure.step({
			id: 'connections',
			title: 'Connections',
			kind: 'form',
			rerun: 'safe',
			explain: 'Where the data comes from and goes to: the Redshift cluster, the S3 bucket UNLOAD writes to and how it is authorised (an IAM role attached to the cluster, or access keys), the OSS bucket in the MaxCompute project\'s region, the MaxCompute project, and the RAM role LOAD uses to read OSS (STS).',
			parameters: ['redshiftAccess', 'redshiftCluster', 'redshiftDbUser', 'redshiftWorkgroup', 'redshiftSecretArn', 'redshiftHost', 'redshiftPort', 'redshiftUser', 'redshiftPassword', 'redshiftDatabase', 'sourceSchema', 's3Bucket', 's3Prefix', 'unloadAuth', 'unloadRoleArn', 'unloadAccessKeyId', 'unloadSecretAccessKey', 'unloadSessionToken', 'transferMethod', 'migrationRoleName', 'ossRegion', 'ossBucket', 'ossPrefix', 'maxcomputeProject', 'loadRoleArn', 'parallelism'],
		}),
		procedure.step({
			id: 'preflight',
			title: 'Preflight',
			kind: 'task',
			rerun: 'safe',
			explain: 'Before anything changes: who ferry is on every service, that OSS and MaxCompute are in the same region (LOAD reads OSS in the project\'s region only), that MaxCompute 2.0 types and DECIMAL 2.0 are on, that the buckets exist or can be created, and every identity the procedure needs: the UNLOAD role (it exists, trusts Redshift, may write the S3 prefix, is in-sync on the cluster), the keys Data Online Migration reads S3 with, and the RAM roles of Data Online Migration and LOAD (they exist, trust the service, may write or read the OSS prefix).',
			async run(context) {
				const results = await runPreflight([...preflightChecks(context.clients, context.answers, context.signal), ...preflightIdentityChecks(context)], result => context.report(`${result.ok ? '✔' : '✖'} ${result.title}: ${result.detail}`));
				context.output('checks', results);
				const services = results.filter(result => result.ok && /who am I|reachable/.test(result.title)).length;
				context.summary(stepSummary(`${count(services, 'service')} reachable`, `${results.filter(result => result.ok).length} of ${count(results.length, 'check')} passed`));
			},
		}),
		procedure.step({
			id: 'tables',
			title: 'Tables',
			kind: 'form',
			rerun: 'safe',
			explain: 'The tables of the schema, with their row counts and sizes from Redshift\'s catalog (SVV_TABLE_INFO). Pick some or all.',
			parameters: ['tables'],
			async run(context) {
				const schema = context.answers.sourceSchema;
				const discovered = await listTables(context.clients.redshift, schema, {signal: context.signal});
				if (discovered.length === 0) {
					throw new StepError(`Schema ${schema} has no tables`, {code: 'NoSuchSchema', hint: 'Check --set sourceSchema and the database.'});
				}

				context.output('discovered', discovered);
				context.report(`${discovered.length} tables in ${schema}`);
				context.summary(stepSummary(`${count(discovered.length, 'table')} in ${schema}`, count(discovered.reduce((total, table) => total + table.rows, 0), 'row'), `${discovered.reduce((total, table) => total + table.sizeMb, 0).toLocaleString('en-US')} MB`));
			},
		}),
		procedure.step({
			id: 'plan',
			title: 'Plan review',
			kind: 'review',
			rerun: 'safe',
			explain: 'The exact UNLOAD statements (Parquet, files small enough for LOAD), the MaxCompute DDL generated from the Redshift catalog through one type-mapping table, and the LOAD statements. Nothing has changed yet.',
			async review(context) {
				const schema = context.answers.sourceSchema;
				const maxFileSizeMb = defaultMaxFileSizeMb();
				const tables = await mapConcurrent(selectedTables(context), 4, async table => planTable(schema, table, await describeTable(context.clients.redshift, schema, table, {signal: context.signal}), context.answers, maxFileSizeMb, key => context.secret(key)));

				const plan: MigrationPlan = {tables, maxFileSizeMb, ossEndpointHost: ossInternalEndpoint(context.answers.ossRegion)};
				context.output('plan', plan);
				const review = planReview(plan, context.answers);
				return {...review, sections: [...identityReviewSections(context.outputs.preflight?.identities ?? []), ...review.sections]};
			},
		}),
		identitiesStep<MigrationClients>({
			explain: 'What preflight found missing of the procedure\'s identities (Steps 1.1–1.4, 2.2–2.3 and 3.2), created exactly as the plan showed and least-privilege: the UNLOAD role with its S3 policy and its association with the cluster (waiting until it is in-sync), the RAM roles of Data Online Migration and LOAD with their OSS policies. Then every identity is checked again.',
			clients: async context => ({...await context.clients.identities(context.signal), maxcompute: context.clients.maxcompute}),
			recheck: async context => checkIdentities(async () => context.clients.identities(context.signal), context.answers, context.sessionId, context.signal),
		}),
		procedure.step({
			id: 'unload',
			title: 'Unload to S3',
			kind: 'task',
			rerun: 'safe',
			explain: 'Redshift runs UNLOAD for every table and writes Parquet files to S3 (step 1 of the procedure). CLEANPATH empties each table\'s folder first, so a rerun never mixes old and new files.',
			async run(context) {
				const plan = planOf(context);
				if (await ensureBucket(context.clients.s3, context.answers.s3Bucket, context.signal)) {
					context.report(`created bucket ${context.answers.s3Bucket}`);
				}

				try {
					await context.tasks(unloadTasks({
						redshift: context.clients.redshift,
						tables: plan.tables.map(table => ({table: table.table, statement: unloadFor(table, context.answers, plan.maxFileSizeMb, key => context.secret(key)).statement})),
						checkpoint: context.checkpoint,
						signal: context.signal,
						log: context.log,
					}), {concurrency: context.answers.parallelism});
				} catch (error) {
					throw withUnloadRoleHint(error, context.answers, context.sessionId);
				}

				context.output('rows', Object.fromEntries(plan.tables.map(table => [table.table, context.checkpoint.get<UnloadResult>(`done:${table.table}`)?.rows])));
				const unloaded = plan.tables.reduce((total, table) => total + (context.checkpoint.get<UnloadResult>(`done:${table.table}`)?.rows ?? 0), 0);
				context.summary(stepSummary(count(plan.tables.length, 'table'), `${count(unloaded, 'row')} unloaded`, `s3://${context.answers.s3Bucket}`));
			},
		}),
		procedure.step({
			id: 'inventory',
			title: 'S3 inventory',
			kind: 'task',
			rerun: 'safe',
			explain: 'The total size and number of files per table in S3, as the procedure asks before migrating ("Get total size"). Data Online Migration is sized with these figures and the copy is checked against them.',
			async run(context) {
				const plan = planOf(context);
				const bucket = context.answers.s3Bucket;
				const inventories: Record<string, {count: number; bytes: number}> = {};
				for (const table of plan.tables) {
					const inventory = await context.clients.s3.inventory(bucket, table.s3Prefix, {signal: context.signal});
					if (inventory.count === 0) {
						throw new StepError(`No files under s3://${bucket}/${table.s3Prefix} for ${table.table}`, {hint: 'The UNLOAD wrote nothing; check the unload step in the session log.'});
					}

					inventories[table.table] = {count: inventory.count, bytes: inventory.bytes};
					context.report(`${table.table}: ${inventory.count} files, ${formatBytes(inventory.bytes)}`);
				}

				const totals = Object.values(inventories).reduce((sum, item) => ({count: sum.count + item.count, bytes: sum.bytes + item.bytes}), {count: 0, bytes: 0});
				context.output('tables', inventories);
				context.output('totals', totals);
				context.summary(stepSummary(count(plan.tables.length, 'table'), count(totals.count, 'file'), formatBytes(totals.bytes)));
			},
		}),
		procedure.step({
			id: 'transfer',
			title: 'S3 → OSS',
			kind: 'task',
			rerun: 'safe',
			explain: 'The files move from S3 to the OSS bucket (step 2 of the procedure): through Data Online Migration (addresses, a job, its report), or ferry\'s own streamed copy. Either way the copy is checked file by file — count, bytes and checksums — before going on.',
			async run(context) {
				const {clients, answers, signal} = context;
				const plan = planOf(context);
				const s3Bucket = answers.s3Bucket;
				const ossBucket = answers.ossBucket;
				const s3Prefix = answers.s3Prefix;
				const ossPrefix = answers.ossPrefix;
				if (await ensureBucket(clients.oss, ossBucket, signal)) {
					context.report(`created bucket ${ossBucket}`);
				}

				const totals = context.outputs.inventory?.totals;
				const copies: CopyRecord[] = [];
				await context.tasks([{
					title: answers.transferMethod === 'stream' ? 'Streamed copy S3 → OSS' : 'Data Online Migration job',
					async run(task) {
						if (answers.transferMethod === 'stream') {
							const objects = await transferWithStream({from: {store: clients.s3, bucket: s3Bucket, prefix: s3Prefix}, to: {store: clients.oss, bucket: ossBucket, prefix: ossPrefix}, task, logger: context.log, signal});
							copies.push(...objects.map(object => ({key: object.key, sourceEtag: object.sourceEtag, destinationEtag: object.destinationEtag, ...(object.md5 ? {md5: object.md5} : {})})));
							return;
						}

						const keys = await clients.profile.aws.credentials();
						const result = await transferWithOnlineMigration({
							client: clients.onlineMigration,
							sessionId: context.sessionId,
							s3Endpoint: clients.s3.endpoint,
							s3Keys: {accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey},
							from: {bucket: s3Bucket, prefix: s3Prefix},
							to: {bucket: ossBucket, prefix: ossPrefix, regionId: answers.ossRegion},
							roleName: String(answers.migrationRoleName),
							checkpoint: context.checkpoint,
							task,
							totalBytes: totals?.bytes ?? 0,
							signal,
							log: context.log,
						});
						task.output(`${result.copiedCount} objects, ${formatBytes(result.copiedBytes)} copied`);
					},
				}]);

				const differences = [];
				for (const table of plan.tables) {
					const source: Inventory = await clients.s3.inventory(s3Bucket, table.s3Prefix, {signal});
					const destination: Inventory = await clients.oss.inventory(ossBucket, table.ossPrefix, {signal});
					const tableCopies = copies.filter(copy => copy.key.startsWith(table.s3Prefix.slice(s3Prefix.length))).map(copy => ({...copy, key: copy.key.slice(table.s3Prefix.length - s3Prefix.length)}));
					differences.push(...checkParity(source, destination, tableCopies).map(difference => `${table.table}: ${difference.message}`));
				}

				if (differences.length > 0) {
					throw new StepError(`The OSS copy differs from S3: ${differences.slice(0, 5).join('; ')}${differences.length > 5 ? ` (+${differences.length - 5} more)` : ''}`, {hint: 'Resume to copy again (the copy overwrites), or check the migration report.'});
				}

				context.output('parity', 'equal');
				context.summary(stepSummary(`${count(copies.length || totals?.count || 0, 'file')} in oss://${ossBucket}`, totals ? formatBytes(totals.bytes) : undefined, 'sizes and checksums match S3'));
			},
		}),
		procedure.step({
			id: 'create-tables',
			title: 'Create tables',
			kind: 'task',
			rerun: 'safe',
			explain: 'The MaxCompute tables are created from the generated DDL, with MaxCompute 2.0 types (step 3.1 of the procedure). An existing table with the same schema is kept; a different one stops the run with the difference.',
			async run(context) {
				const created: string[] = [];
				await context.tasks(createTableTasks({maxcompute: context.clients.maxcompute, tables: planOf(context).tables, signal: context.signal, onDone: (table, wasCreated) => wasCreated && created.push(table)}), {concurrency: 4});
				context.output('created', created);
				context.summary(stepSummary(`${count(created.length, 'table')} created`, `${planOf(context).tables.length - created.length} kept`));
			},
		}),
		procedure.step({
			id: 'load',
			title: 'LOAD into MaxCompute',
			kind: 'task',
			rerun: 'safe',
			explain: 'MaxCompute runs LOAD OVERWRITE for every table, reading the Parquet files from OSS with the RAM role (STS), with the native Parquet reader so DECIMAL loads (step 3.3). OVERWRITE makes a rerun replace, not duplicate.',
			confirm: answers => ({expected: answers.maxcomputeProject, message: `LOAD OVERWRITE replaces the contents of ${((answers.tables as string[] | undefined) ?? []).length} tables in MaxCompute project ${answers.maxcomputeProject}.`}),
			async run(context) {
				const tables = planOf(context).tables;
				await context.tasks(loadTasks({maxcompute: context.clients.maxcompute, tables, checkpoint: context.checkpoint, signal: context.signal, log: context.log}), {concurrency: context.answers.parallelism});
				context.output('instances', Object.fromEntries(tables.map(table => [table.table, context.checkpoint.get<LoadResult>(`done:${table.table}`)?.instanceId])));
				context.summary(stepSummary(`${count(tables.length, 'table')} loaded`, `${count(tables.length, 'LOAD OVERWRITE instance')}`, context.answers.maxcomputeProject));
			},
		}),
		procedure.step({
			id: 'verify',
			title: 'Verify',
			kind: 'verify',
			rerun: 'safe',
			explain: 'The same queries on both sides (step 3.4): the number of tables, the rows of every table, and TPC-H Q1. DECIMAL sums compare exactly, averages within a stated tolerance, rows aligned by their group keys.',
			async run(context) {
				const schema = context.answers.sourceSchema;
				await verifyStep(context, migrationChecks({
					clients: context.clients,
					tables: planOf(context).tables.map(table => ({schema, table: table.table})),
					extraPairs: customPairs(context.answers.customChecks),
				}));
			},
		}),
	],
});

type CustomCheck = {title: string; source: string; target: string; keys?: string[]; tolerance?: number};

function customPairs(value: unknown): QueryPair[] {
	return ((value as CustomCheck[] | undefined) ?? []).map((check, index) => ({
		id: `custom-${index + 1}`,
		title: check.title,
		source: check.source,
		target: check.target,
		keyColumns: check.keys ?? [],
		tolerance: {relative: check.tolerance ?? defaultRelativeTolerance},
		kind: 'query',
	}));
}

export default wizard;
