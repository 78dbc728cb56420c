/**
 * What the local DataWorks does by itself: deployments complete a moment after they are asked for, a release puts a
 * version into production, the scheduler generates cycle instances and starts those whose time has come, and instances
 * run NOT_RUN → WAIT_RESOURCE → RUNNING → SUCCESS|FAILURE with the DI runner, one at a time.
 *
 * The scheduler follows DataWorks' instance generation ("Instance generation mode", DataWorks user guide): a node
 * released to production gets cycle instances (DagType DAILY) from the next day on, one per cron slot of each CST day;
 * with ApplyScheduleImmediately ("Immediately after deployment") also on the release day, where slots later than the
 * release + 10 minutes run at their time and earlier ones are expired dry runs (TaskType SKIP, SUCCESS without running).
 * An instance waits in WAIT_TIME until its cycle time. Rehearsal (on by default: this stand-in is the local cloud's)
 * changes one thing, so that a rehearsal need not wait for tomorrow: at an immediate release, the release day's first
 * slot runs at once instead of being expired or waiting — the instance the real scheduler would run for that day had
 * the node been released before it. Its bizdate and cycle time stay those of the slot.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import type {DiRunner} from './di-runner.js';
import {JobConfigError, parseDiJob, substituteParameters} from './job-config.js';
import {day, defaultSchedule, type DataWorksModel} from './model.js';
import {cstDayStart, cstOffsetMs, parseCron, resolveParaValue, slotsOfDay} from './scheduling.js';
import type {DeploymentRecord, FileRecord, InstanceRecord} from './state.js';

/** "Immediately after deployment": slots up to the release + 10 minutes are expired (dry runs). */
const immediateCutoffMs = 10 * 60_000;

export type SchedulerOptions = {
	runner: DiRunner;
	/** Pause between instance states and before a deployment completes, so pollers see them. */
	stepDelayMs: number;
	/** How often it looks for due instances. */
	tickMs: number;
	rehearsal: boolean;
};

export type Scheduler = {
	/** Runs instances that are NOT_RUN, in turn. */
	run(instances: InstanceRecord[]): void;
	/** Completes a deployment after the step delay. */
	complete(deployment: DeploymentRecord): void;
	/** Stops at once (a running job is aborted); resolves when the queue is done and the state saved. */
	close(): Promise<void>;
};

export function bizdateText(bizdate: number): string {
	return new Date(bizdate + cstOffsetMs).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * Starts the scheduler on the model, after recovering from a stop: deployments still pending complete; instances that
 * had not started run; an instance that was RUNNING is marked FAILURE rather than run again, because the loghub writer
 * may already have sent part of its logs and a silent rerun would duplicate them — the real service also fails an
 * instance whose worker died, and leaves the rerun to the operator.
 */
export async function startScheduler(model: DataWorksModel, options: SchedulerOptions): Promise<Scheduler> {
	const {state, store, now} = model;
	const timers = new Set<NodeJS.Timeout>();
	const abort = new AbortController();
	let queue = Promise.resolve();
	let closing = false;

	function later(ms: number, work: () => Promise<void>): void {
		const timer = setTimeout(() => {
			timers.delete(timer);
			if (!closing) {
				work().catch(() => undefined);
			}
		}, ms);
		timers.add(timer);
	}

	const pause = async (ms: number) => sleep(ms, undefined, {signal: abort.signal}).catch(() => undefined);

	function enqueue(instance: InstanceRecord): void {
		queue = queue.then(async () => runInstance(instance)).catch(() => undefined);
	}

	async function setStatus(instance: InstanceRecord, status: InstanceRecord['status'], extra: Partial<InstanceRecord> = {}): Promise<void> {
		Object.assign(instance, {status, modifyTime: Date.now()}, extra);
		await store.save();
	}

	async function runInstance(instance: InstanceRecord): Promise<void> {
		if (closing || instance.status !== 'NOT_RUN') {
			return;
		}

		await pause(options.stepDelayMs);
		if (closing) {
			return;
		}

		await setStatus(instance, 'WAIT_RESOURCE', {beginWaitResTime: Date.now()});
		await pause(options.stepDelayMs);
		if (closing) {
			return;
		}

		const file = state.files.find(item => item.fileId === instance.fileId);
		await setStatus(instance, 'RUNNING', {beginRunningTime: Date.now()});
		const log = async (line: string) => store.appendLog(instance.instanceId, `${line}\n`);
		await log(`${new Date(Date.now() + cstOffsetMs).toISOString().slice(0, 19).replace('T', ' ')} : Start Job[${instance.nodeName}], instance [${instance.instanceId}], bizdate [${bizdateText(instance.bizdate)}], resource group [${file?.resourceGroup ?? ''}]`);
		let lines: string[] = [];
		try {
			if (!file) {
				throw new JobConfigError(`the file of node ${instance.nodeId} no longer exists`);
			}

			// The node's scheduling parameters, resolved for this instance; a backfill's NodeParams override them.
			const parameters = {
				bizdate: bizdateText(instance.bizdate),
				...resolveParaValue((file.prodSchedule ?? file.schedule)?.paraValue ?? '', {bizdate: instance.bizdate, cycTime: instance.cycTime}),
				...Object.fromEntries(instance.paramValues.split(/\s+/).filter(Boolean).map(pair => pair.split('=', 2) as [string, string])),
			};
			const job = parseDiJob(substituteParameters(file.prodContent ?? file.content, parameters));
			if (closing) {
				// Stopped before the job began: nothing was sent, so the next start may run it.
				instance.status = 'NOT_RUN';
				return;
			}

			const result = await options.runner.run({
				job,
				dataSources: (name, type) => model.productionDataSource(name, type),
				log: line => lines.push(line),
				signal: abort.signal,
			});
			await log(lines.join('\n'));
			lines = [];
			await log(result.status === 'SUCCESS' ? 'Exit with SUCCESS.' : `Exit with FAILURE.\n${result.errorMessage ?? ''}`);
			await setStatus(instance, result.status, {finishTime: Date.now(), ...(result.errorMessage ? {errorMessage: result.errorMessage} : {})});
		} catch (error) {
			if (lines.length > 0) {
				await log(lines.join('\n'));
			}

			if (closing) {
				// Left RUNNING: the next start marks it failed (see above).
				return;
			}

			const message = error instanceof Error ? error.message : String(error);
			await log(`Exit with FAILURE.\n${message}`);
			await setStatus(instance, 'FAILURE', {finishTime: Date.now(), errorMessage: message});
		}
	}

	function complete(deployment: DeploymentRecord): void {
		later(options.stepDelayMs, async () => {
			const file = state.files.find(item => item.fileId === deployment.fileId);
			if (!file) {
				Object.assign(deployment, {status: 2, executeTime: Date.now(), errorMessage: 'The file no longer exists.'});
			} else if (deployment.kind === 'submit') {
				file.commitStatus = 1;
				file.nodeId ??= store.newId() + 700_000_000;
				if (model.workspace.mode === 'basic') {
					release(file);
				}

				Object.assign(deployment, {status: 1, executeTime: Date.now()});
			} else {
				release(file);
				Object.assign(deployment, {status: 1, executeTime: Date.now()});
			}

			await store.save();
		});
	}

	/** Production now runs this version; with immediate generation, the release day's instances are made at once. */
	function release(file: FileRecord): void {
		file.prodVersion = file.currentVersion;
		file.prodContent = file.content;
		file.prodSchedule = file.schedule ?? defaultSchedule;
		file.releasedAt = now();
		file.generatedDays = [];
		if (file.prodSchedule.applyScheduleImmediately) {
			generateDay(file, cstDayStart(file.releasedAt), true);
		}
	}

	function generateDay(file: FileRecord, dayStart: number, releaseDay: boolean): void {
		const schedule = file.prodSchedule!;
		file.generatedDays = [...(file.generatedDays ?? []), dayStart];
		if (schedule.schedulerType === 'MANUAL' || schedule.stop || dayStart + day <= schedule.startEffectDate || dayStart > schedule.endEffectDate) {
			return;
		}

		const dagId = store.newId() + 800_000_000;
		const cutoff = (file.releasedAt ?? 0) + immediateCutoffMs;
		for (const [index, slot] of slotsOfDay(parseCron(schedule.cronExpress, schedule.cycleType), dayStart).entries()) {
			const created = now();
			const runNow = releaseDay && options.rehearsal && index === 0;
			const expired = releaseDay && !runNow && slot.cycTime <= cutoff;
			const dryRun = expired || schedule.schedulerType === 'SKIP';
			const instance: InstanceRecord = {
				instanceId: store.newId() + 900_000_000, dagId, dagName: `${file.fileName} ${new Date(dayStart + cstOffsetMs).toISOString().slice(0, 10)}`, dagType: 'DAILY',
				taskType: dryRun ? 'SKIP' : 'NORMAL', nodeId: file.nodeId!, nodeName: file.fileName, fileId: file.fileId,
				status: expired ? 'SUCCESS' : (runNow ? 'NOT_RUN' : 'WAIT_TIME'), bizdate: slot.bizdate, cycTime: slot.cycTime, paramValues: '', createTime: created, modifyTime: created,
				...(expired ? {finishTime: created} : {}),
			};
			state.instances.push(instance);
			if (runNow) {
				enqueue(instance);
			}
		}
	}

	/** Generates the instances of days that began since the release, and starts those whose time has come. */
	async function tick(): Promise<void> {
		const time = now();
		const today = cstDayStart(time);
		let changed = false;
		for (const file of state.files) {
			if (file.prodVersion === undefined || file.nodeId === undefined || file.releasedAt === undefined) {
				continue;
			}

			// The real service generates the next day's instances from 23:30; the local one when the day begins.
			for (let dayStart = cstDayStart(file.releasedAt) + day; dayStart <= today; dayStart += day) {
				if (!(file.generatedDays ?? []).includes(dayStart)) {
					generateDay(file, dayStart, false);
					changed = true;
				}
			}
		}

		for (const instance of state.instances) {
			if (instance.status === 'WAIT_TIME' && instance.cycTime <= time) {
				const file = state.files.find(item => item.fileId === instance.fileId);
				if (instance.taskType === 'SKIP' || file?.prodSchedule?.schedulerType === 'SKIP') {
					Object.assign(instance, {status: 'SUCCESS', finishTime: time, modifyTime: time});
				} else if (file?.prodSchedule?.schedulerType === 'PAUSE') {
					Object.assign(instance, {status: 'FAILURE', finishTime: time, modifyTime: time, errorMessage: 'The node is frozen (paused): its instance is set to failed.'});
				} else {
					Object.assign(instance, {status: 'NOT_RUN', modifyTime: time});
					enqueue(instance);
				}

				changed = true;
			}
		}

		if (changed) {
			await store.save();
		}
	}

	for (const deployment of state.deployments.filter(item => item.status === 0)) {
		complete(deployment);
	}

	for (const instance of state.instances) {
		if (instance.status === 'RUNNING') {
			const message = 'The instance was interrupted: the local DataWorks stopped while it was running. Logs sent before the stop stay in Log Service; rerun it if needed.';
			Object.assign(instance, {status: 'FAILURE', finishTime: Date.now(), modifyTime: Date.now(), errorMessage: message});
			await store.appendLog(instance.instanceId, `Exit with FAILURE.\n${message}\n`);
		} else if (instance.status === 'WAIT_RESOURCE' || instance.status === 'NOT_RUN') {
			instance.status = 'NOT_RUN';
			enqueue(instance);
		}
	}

	await store.save();
	const ticking = setInterval(() => {
		if (!closing) {
			tick().catch(() => undefined);
		}
	}, options.tickMs);
	ticking.unref();

	return {
		run(instances) {
			for (const instance of instances) {
				enqueue(instance);
			}
		},
		complete,
		async close() {
			closing = true;
			clearInterval(ticking);
			abort.abort(new Error('the local DataWorks is stopping'));
			for (const timer of timers) {
				clearTimeout(timer);
			}

			await queue;
			await store.save();
		},
	};
}
