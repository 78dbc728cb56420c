import {describeError, PreflightError, type MaxComputeClient, type ObjectStore, type OnlineMigrationClient, type RedshiftConnection} from '../../source/kit.js';
import type {AnswersFor} from './procedure.js';

export type CheckResult = {id: string; title: string; ok: boolean; detail: string; hint?: string};

/** A check's hint: one text, or parts that several checks may share (each said once). */
type Hint = string | readonly string[];

export type PreflightClients = {
	redshift: RedshiftConnection;
	s3: ObjectStore;
	oss: ObjectStore;
	onlineMigration: OnlineMigrationClient;
	maxcompute: MaxComputeClient;
	profile: {alibaba: {region: string; endpoints: Record<string, string>}};
};

export type Check = {id: string; title: string; run: () => Promise<{detail: string; ok?: boolean; hint?: Hint}>};

/** The region a MaxCompute endpoint serves, from its host (service.<region>.maxcompute…); undefined for other hosts. */
export function maxComputeEndpointRegion(endpoint: string): string | undefined {
	return /service\.([a-z\d-]+?)(-vpc)?\.maxcompute\./.exec(endpoint)?.[1];
}

async function bucketCheck(store: ObjectStore, bucket: string, signal: AbortSignal) {
	const exists = await store.bucketExists(bucket, {signal});
	return {detail: exists ? `bucket ${bucket} exists` : `bucket ${bucket} does not exist yet; ferry creates it`};
}

export function preflightChecks(clients: PreflightClients, answers: AnswersFor<'ossRegion' | 's3Bucket' | 'ossBucket' | 'transferMethod'>, signal: AbortSignal): Check[] {
	const ossRegion = answers.ossRegion;
	const checks: Check[] = [
		{id: 'redshift', title: 'Redshift: who am I', run: async () => {
			const who = await clients.redshift.whoami({signal});
			return {detail: `user ${who.user} on database ${who.database}`};
		}},
		{id: 's3', title: 'S3: who am I', run: async () => {
			const who = await clients.s3.whoami({signal});
			return {detail: `owner ${who.displayName ?? who.id}`};
		}},
		{id: 's3-bucket', title: 'S3: unload bucket', run: async () => bucketCheck(clients.s3, answers.s3Bucket, signal)},
		{id: 'oss', title: 'OSS: who am I', run: async () => {
			const who = await clients.oss.whoami({signal});
			return {detail: `owner ${who.displayName ?? who.id}`};
		}},
		{id: 'oss-bucket', title: 'OSS: landing bucket', run: async () => bucketCheck(clients.oss, answers.ossBucket, signal)},
		{id: 'maxcompute', title: 'MaxCompute: who am I', run: async () => {
			const who = await clients.maxcompute.whoami({signal});
			return {detail: `${who.owner} in project ${clients.maxcompute.project}`};
		}},
		{id: 'region', title: 'OSS and MaxCompute in the same region', run: async () => {
			const projectRegion = maxComputeEndpointRegion(clients.profile.alibaba.endpoints['maxcompute']!) ?? clients.profile.alibaba.region;
			return projectRegion === ossRegion
				? {detail: `both in ${ossRegion}`}
				: {ok: false, detail: `OSS is in ${ossRegion}, MaxCompute in ${projectRegion}`, hint: `LOAD reads OSS in the project's region only: use an OSS bucket in ${projectRegion} (--set ossRegion=${projectRegion}).`};
		}},
		{id: 'types', title: 'MaxCompute 2.0 types and DECIMAL 2.0', run: async () => {
			const result = await clients.maxcompute.runSql('setproject;', {signal});
			const flags = new Map(result.text.split('\n').map(line => line.split('=').map(part => part.trim()) as [string, string]));
			const missing = ['odps.sql.type.system.odps2', 'odps.sql.decimal.odps2'].filter(flag => flags.get(flag) !== 'true');
			return missing.length === 0
				? {detail: 'enabled on the project'}
				: {detail: `not set on the project (${missing.join(', ')}); ferry sets them on every statement it runs. To set them for everyone: ${missing.map(flag => `setproject ${flag}=true;`).join(' ')}`};
		}},
	];
	if (answers.transferMethod === 'online-migration') {
		checks.push({id: 'online-migration', title: 'Data Online Migration: activated and reachable', run: async () => {
			await clients.onlineMigration.whoami({signal});
			return {detail: 'the service answers with these keys'};
		}});
	}

	return checks;
}

/**
 * Runs every check (all of them, so the user sees every problem at once) and fails with exit 4 if any failed, or with
 * the code its causes call for (wrong credentials, an unreachable endpoint: 3), as `exitCodeFor` maps them.
 */
export async function runPreflight(checks: Check[], onResult: (result: CheckResult) => void): Promise<CheckResult[]> {
	const results: CheckResult[] = [];
	const hints = new Map<string, string[]>();
	const causes: unknown[] = [];
	for (const check of checks) {
		try {
			const outcome = await check.run();
			const parts = typeof outcome.hint === 'string' ? [outcome.hint] : [...outcome.hint ?? []];
			hints.set(check.id, parts);
			results.push({id: check.id, title: check.title, ok: outcome.ok ?? true, detail: outcome.detail, ...(parts.length > 0 ? {hint: parts.join(' ')} : {})});
		} catch (error) {
			const {message, hint} = describeError(error);
			if ((error as Error).name === 'AbortError') {
				throw error;
			}

			causes.push(error);
			results.push({id: check.id, title: check.title, ok: false, detail: message, ...(hint ? {hint} : {})});
		}

		onResult(results.at(-1)!);
	}

	const failed = results.filter(result => !result.ok);
	// Two checks that meet the same cause (a missing project fails who-am-I and the type flags) give one hint.
	if (failed.length > 0) {
		throw new PreflightError(`Preflight failed: ${failed.map(result => `${result.title} — ${result.detail}`).join('; ')}`, {hint: [...new Set(failed.flatMap(result => hints.get(result.id) ?? (result.hint ? [result.hint] : [])))].join(' ') || 'Fix the checks above, then `ferry resume`.', causes});
	}

	return results;
}
