/** The procedure's types: its clients, its parameters and what each step records for the later ones. */
import {defineProcedure, type IdentityFinding, type ProcedureContext} from '../../source/kit.js';
import type {LogHubClients} from './clients.js';
import type {ExportPartition} from './export-partitions.js';
import type {JobShape} from './job.js';
import type {parameters} from './parameters.js';
import type {ExportedColumn} from './verification.js';

/** What preflight found, saved for the later steps. */
export type Shape = {
	columns: ExportedColumn[];
	/** Rows of every partition exported, and the time window of all their logs. */
	rows: number;
	job: Record<string, unknown>;
	job_shape: JobShape;
	window: {from: number; to: number};
	/** The partitions the answer resolved to, each with its rows and logs' window (absent in sessions from before ranges: the one partition). */
	partitions?: ExportPartition[];
	mode: string;
	workspaceIdentifier?: string;
};

/** One partition's run of the task, checkpointed when it succeeded. */
export type PartitionRun = {value: string; instanceId: number; dagId?: number; counts: {read: number; written: number; dirty: number}};

type Outputs = {
	preflight: {shape: Shape; identities: IdentityFinding[]};
	task: {jobFile: string; fileId: number; nodeId: number};
	/**
	 * `partition`: the partition the first scheduled instance read (schedule mode only). `partitions`: each partition's
	 * run when more than one was exported (`instanceId` is then the last one's, `counts` the sums).
	 */
	run: {instanceId: number; counts: {read: number; written: number; dirty: number}; partition?: string; partitions?: PartitionRun[]};
};

type Types = {clients: LogHubClients; parameters: typeof parameters; outputs: Outputs};

export const procedure = defineProcedure<Types>();

/** A step's context; `Id` names the step whose outputs it records. */
export type Context<Id extends keyof Outputs = never> = ProcedureContext<Types, Id>;

/** MaxCompute 2.0 types for every statement the procedure runs. */
export const settings = {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'};
