/** The procedure's types: its clients, its parameters and what each step records for the later ones. */
import {defineProcedure, type AnswersOf, type IdentityFinding, type ProcedureContext, type TableSummary} from '../../source/kit.js';
import type {MigrationClients} from './clients.js';
import type {MigrationPlan} from './migration-plan.js';
import type {parameters} from './parameters.js';
import type {CheckResult} from './preflight.js';

type Outputs = {
	preflight: {checks: CheckResult[]; identities: IdentityFinding[]};
	tables: {discovered: TableSummary[]};
	plan: {plan: MigrationPlan};
	unload: {rows: Record<string, number | undefined>};
	inventory: {tables: Record<string, {count: number; bytes: number}>; totals: {count: number; bytes: number}};
	transfer: {parity: 'equal'};
	'create-tables': {created: string[]};
	load: {instances: Record<string, string | undefined>};
};

type Types = {clients: MigrationClients; parameters: typeof parameters; outputs: Outputs};

export const procedure = defineProcedure<Types>();

/** A step's context; `Id` names the step whose outputs it records. */
export type Context<Id extends keyof Outputs = never> = ProcedureContext<Types, Id>;

export type MigrationAnswers = AnswersOf<typeof parameters>;

/** What the clients are made from: `ferry sql` makes them from a profile before anything is asked. */
export type ClientAnswers = Partial<MigrationAnswers>;

type Loose<Answers> = {[Name in keyof Answers]: NonNullable<Answers[Name]> extends string ? string : Answers[Name]};

/** Some answers as a module reads them: the parameters' keys and kinds, any choice read as text. */
export type AnswersFor<Key extends keyof MigrationAnswers> = Loose<Pick<MigrationAnswers, Key>>;

/** The secret answers the UNLOAD's access keys come from. */
export type UnloadSecret = 'unloadSecretAccessKey' | 'unloadSessionToken';
