/** The logs' time window: the time column parsed with the job's format before anything is written, and what the logstore already holds in it. */
import {quoteMaxComputeIdentifier} from '../../source/clouds/maxcompute/ddl.js';
import {PreflightError} from '../../source/kit.js';
import type {JobShape} from './job.js';
import {logTimeParser} from './log-time.js';
import {simpleDateFormatFor} from './percent-pattern.js';
import {settings, type Context} from './procedure.js';
import {partitionCondition} from './verification.js';

/** DataWorks resource groups run in China Standard Time: a time format without a zone is read there. */
const writerZoneMinutes = 480;

/** Rows sampled to check that the time format parses the column's values. */
const timeSampleRows = 10_000;

/** The logs' time window of a partition other than the one preflight sampled. */
export async function partitionWindow(context: Context, job: JobShape, partition: {column: string; value: string}): Promise<{from: number; to: number}> {
	const table = context.answers.maxcomputeTable;
	const where = partitionCondition(partition);
	const counted = await context.clients.maxcompute.runSql(`SELECT count(*) FROM ${quoteMaxComputeIdentifier(table)} WHERE ${where};`, {settings, signal: context.signal});
	return checkTimes(context, job, table, where, Number(counted.rows[0]?.[0] ?? 0), {refuse: false});
}

/**
 * Parses the time column's values with the time format before anything is written: the real writer would stamp
 * a value it cannot parse with "now", far from the window the verification reads. Returns the logs' time window.
 */
export async function checkTimes(context: Context, job: JobShape, table: string, where: string, rows: number, options: {refuse: boolean} = {refuse: true}): Promise<{from: number; to: number}> {
	const now = Math.floor(Date.now() / 1000);
	if (!job.writer.time) {
		context.report('no time column: every log is stamped with the time the job runs');
		return {from: now - 60, to: now + 24 * 3600};
	}

	const parser = logTimeParser(job.writer.timeFormat ?? '', writerZoneMinutes);
	if ('problem' in parser) {
		const equivalent = simpleDateFormatFor(job.writer.timeFormat ?? '');
		const hint = equivalent
			? `The writer reads Java's SimpleDateFormat, not % directives: write ${JSON.stringify(equivalent)} in the job's writer.timeformat.`
			: 'Use bigint (Unix seconds) or a Java SimpleDateFormat pattern such as yyyy_MM_dd HH:mm:ss.';
		throw new PreflightError(`The time format ${JSON.stringify(job.writer.timeFormat)} has ${parser.problem}`, {hint});
	}

	const sampled = await context.clients.maxcompute.runSql(`SELECT ${quoteMaxComputeIdentifier(job.writer.time)} FROM ${quoteMaxComputeIdentifier(table)} WHERE ${where} LIMIT ${timeSampleRows};`, {settings, signal: context.signal});
	let earliest = Number.POSITIVE_INFINITY;
	let latest = Number.NEGATIVE_INFINITY;
	for (const [value] of sampled.rows) {
		const parsed = value === null || value === undefined ? undefined : parser.parse(String(value));
		if (parsed === undefined) {
			throw new PreflightError(`The time format ${JSON.stringify(job.writer.timeFormat)} does not parse the ${job.writer.time} value ${JSON.stringify(value ?? null)}: DataWorks would stamp such logs with the time the job runs`, {hint: `Set --set timeFormat= to the pattern of values like ${JSON.stringify(value ?? '')} (bigint for Unix seconds), or --set time= to another column.`});
		}

		earliest = Math.min(earliest, parsed);
		latest = Math.max(latest, parsed);
	}

	// Only a sample was read when the partition is larger: widen the window by a day each way.
	const margin = rows > sampled.rows.length ? 86_400 : 0;
	const from = Math.floor(earliest / 1000) - margin;
	const to = Math.floor(latest / 1000) + 1 + margin;
	if (!options.refuse) {
		return {from, to};
	}

	const ageDays = (now - from) / 86_400;
	const ttl = await retentionDays(context);
	if (ageDays > ttl) {
		throw new PreflightError(`The oldest log would be ${Math.ceil(ageDays)} days old but logstore ${context.answers.logstore} keeps logs ${ttl} days: Log Service would drop them`, {hint: `Use a logstore with a longer retention (--set logTtlDays=${Math.min(3650, Math.ceil(ageDays) + 1)} for a new one), or another time column.`});
	}

	await refuseExistingLogs(context, {from, to, topic: job.writer.topic});
	context.report(`${job.writer.time} parses as ${job.writer.timeFormat}: logs from ${new Date(earliest).toISOString()} to ${new Date(latest).toISOString()}`);
	return {from, to};
}

/**
 * Logs already in the logstore with this topic and time window would be counted with the new ones, and the writer
 * would add a second copy of any earlier export: such a run stops here, before anything is written.
 */
async function refuseExistingLogs(context: Context, window: {from: number; to: number; topic: string}): Promise<void> {
	let existing: number;
	try {
		const result = await context.clients.logService.getLogs(context.answers.logProject, context.answers.logstore, {...window, query: '* | select count(*) as logs', signal: context.signal});
		existing = Number(result.logs[0]?.['logs'] ?? 0);
	} catch (error) {
		if (['ProjectNotExist', 'LogStoreNotExist', 'IndexConfigNotExist'].includes(String((error as {code?: string}).code))) {
			return;
		}

		throw error;
	}

	if (existing > 0) {
		throw new PreflightError(`Logstore ${context.answers.logstore} already holds ${existing.toLocaleString('en-US')} logs of topic "${window.topic}" in this data's time window: the job would add a second copy and the verification could not tell them apart`, {hint: 'Export into another logstore (--set logstore=…) or under another topic (--set topic=…).'});
	}
}

/** The retention of the existing logstore, or of the one ferry will create. */
async function retentionDays(context: Context): Promise<number> {
	try {
		return (await context.clients.logService.getLogstore(context.answers.logProject, context.answers.logstore, {signal: context.signal})).ttlDays;
	} catch (error) {
		if (['ProjectNotExist', 'LogStoreNotExist'].includes(String((error as {code?: string}).code))) {
			return context.answers.logTtlDays;
		}

		throw error;
	}
}
