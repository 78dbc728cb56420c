import type {Logger} from '../log/logger.js';
import type {SourceFact} from './source-facts.js';

/**
 * The wizard definition API. A wizard (under wizards/<id>/) is data: parameters with help and validation,
 * and steps that call actions. The engine runs it the same way whether a person answers in the terminal
 * or an answers file does.
 */
export type Answers = Record<string, unknown>;

/** `json` values are structured (lists of objects); they come from answers files and are never prompted for. */
export type ParameterType = 'string' | 'number' | 'boolean' | 'select' | 'list' | 'secret' | 'json';

export type Choice = {value: string; label: string; hint?: string};

/** What a parameter's default, choices and conditions can see. */
export type ParameterContext = {
	answers: Answers;
	outputs: StepOutputs;
	profile: string;
	/**
	 * The profile's settings (answer key → value): defaults that win over a parameter's own. The local profile's are
	 * those the local cloud publishes; a real profile's are kept with it (`ferry profiles add … --set key=value`).
	 */
	settings?: Readonly<Record<string, string>>;
};

export type AnswerCorrection = {value: string; notice: string};

export type Parameter = {
	/** The answers-file key and the `--set key=value` name. */
	key: string;
	label: string;
	help: string;
	type: ParameterType;
	/** Shown in help and in the error for a missing answer. */
	example?: string;
	default?: unknown | ((context: ParameterContext) => unknown);
	choices?: (context: ParameterContext) => readonly Choice[];
	/** Returns a message when the value is not acceptable. Values arrive already parsed to the parameter's type. */
	validate?: (value: unknown, answers: Answers) => string | undefined;
	/**
	 * The answer meant by one written in a form ferry recognises but the service would misread (a strftime pattern
	 * where Java's is expected): given answers are replaced by it with a notice, and a form offers it to accept.
	 */
	correct?: (raw: string) => AnswerCorrection | undefined;
	/** Asked only when this returns true. */
	when?: (answers: Answers) => boolean;
	/** An optional parameter may stay empty. @default false */
	optional?: boolean;
};

/**
 * What rerunning a task step after a failure does, so the UI can guard the rerun:
 * - safe: the step is idempotent (e.g. LOAD OVERWRITE);
 * - cleanup: the step must clean up partial work first, and does so itself;
 * - duplicates: rerunning would duplicate data; ferry asks before it reruns.
 */
export type RerunPolicy = 'safe' | 'cleanup' | 'duplicates';

export type StepKind = 'form' | 'task' | 'review' | 'verify';

/** What a verify step hands the engine: a report of its checks, equal or not (see source/verify/report.ts). */
export type VerificationResult = {equal: boolean};

export type StepOutputs = Record<string, Record<string, unknown>>;

export type SubTaskProgress = {done: number; total?: number; unit: 'bytes' | 'rows' | 'objects' | 'tables' | 'checks'};

export type SubTaskContext = {
	/** A line under the task, replacing the previous one. */
	output(line: string): void;
	progress(progress: SubTaskProgress): void;
	title(title: string): void;
	signal: AbortSignal;
};

export type SubTask = {
	title: string;
	run(context: SubTaskContext): Promise<void>;
	/** Skipped when this returns a reason (e.g. finished before a crash). */
	skip?: () => string | false;
};

export type Checkpoints = {
	get<T>(key: string): T | undefined;
	/** Saves the session at once: a checkpoint is never lost to a crash. */
	set(key: string, value: unknown): void;
	/**
	 * Runs `create` once per session and step: its result (e.g. a remote job id) is checkpointed, and a resumed run
	 * gets the saved result back instead of creating a second one. Only a finished `create` counts.
	 */
	once<T>(key: string, create: () => Promise<T>): Promise<T>;
};

/** A row of a review table; a row with a note is marked and its note shown under it (e.g. why a mapping is inexact). */
export type ReviewTableRow = {cells: string[]; note?: string};
/** Rows of cells under column headers, laid out to the screen's width (cells wrap, never cut). */
export type ReviewTable = {title?: string; columns: string[]; rows: ReviewTableRow[]};

/** A review document: sections of text, tables and code shown before anything changes a cloud. */
export type ReviewSection = {title: string; body?: string; tables?: ReviewTable[]; code?: string; language?: string; warnings?: string[]};
export type ReviewDocument = {title: string; sections: ReviewSection[]};

/**
 * Who answers this run: a person in the terminal UI (typed confirmations), flags and answers files (headless), or
 * nobody, because the run only prints the plan (`ferry plan` stops at the review).
 */
export type RunMode = 'interactive' | 'headless' | 'plan';

/**
 * Something a step created that outlives the run (a role, a policy, a grant): listed by `ferry sessions show` with
 * the command that removes it, and named in the run's closing hint.
 */
export type CreatedResource = {
	/** The service that holds it, e.g. `IAM`, `RAM`, `MaxCompute`. */
	service: string;
	/** e.g. `role`, `inline policy`, `cluster IAM role`, `grant`. */
	kind: string;
	name: string;
	/** The command (CLI or statement) that removes it. */
	removal: string;
};

export type StepContext<Clients = unknown> = {
	sessionId: string;
	mode: RunMode;
	profile: string;
	answers: Answers;
	/** Outputs of finished steps, by step id. */
	outputs: StepOutputs;
	clients: Clients;
	/** A secret answer (never in the session file). */
	secret(key: string): string | undefined;
	log: Logger;
	signal: AbortSignal;
	checkpoint: Checkpoints;
	/** Records an output of this step (saved at once). */
	output(key: string, value: unknown): void;
	/** Records something the step created for the session's list (saved at once; the same name is kept once). */
	created(resource: CreatedResource): void;
	/** Runs sub-tasks as live listr2 tasks, in parallel up to `concurrency`. */
	tasks(tasks: SubTask[], options?: {concurrency?: number}): Promise<void>;
	/** A progress line under the step. */
	report(line: string): void;
	/**
	 * A verify step's result: the report (saved in the session, shown side by side, written as Markdown) and whether
	 * every check was equal, which makes the run exit 5 when not.
	 */
	verified(report: VerificationResult): void;
	/**
	 * The step's outcome in one line, computed from what it did ("8 tables · 86,791 rows · 16 files · 3.3 MiB").
	 * Saved with the step in the session and shown when the step finishes, and again when a resumed run passes it;
	 * a step that gives none is summarised by its last progress line.
	 */
	summary(line: string): void;
};

export type Step<Clients = unknown> = {
	id: string;
	title: string;
	/** The procedure's own explanation of the step, shown under the step header. */
	explain: string;
	kind: StepKind;
	/** Form steps: the parameter keys asked on this step, in order. */
	parameters?: string[];
	rerun: RerunPolicy;
	/**
	 * What running the step again *from its start* does, once its checkpoints are dropped: `ferry resume ID --set`
	 * sets a step back to the start when an answer it ran with changes. Differs from `rerun` for a step whose reruns
	 * are safe only thanks to its checkpoints (e.g. writes resumed by record number, which start over without them).
	 * @default rerun
	 */
	rerunFromStart?: RerunPolicy;
	/** Runs before a form's prompts (e.g. discovering tables), or as the whole work of task/verify steps. */
	run?: (context: StepContext<Clients>) => Promise<void>;
	/** Review steps: the document to show and confirm. */
	review?: (context: StepContext<Clients>) => Promise<ReviewDocument>;
	/** Steps that overwrite, delete or create outside the data ask for the typed text returned here. */
	confirm?: (answers: Answers, context: {outputs: StepOutputs; mode: RunMode}) => {expected: string; message: string} | undefined;
};

/** What a statement on one side of a procedure returns, for `ferry sql`. */
export type SideQueryResult = {columns: string[]; rows: unknown[][]; note?: string};

/** One end of a procedure (where data comes from, or goes to), as `ferry sql --side` reaches it. */
export type WizardSide<Clients = unknown> = {
	/** The service, e.g. "Amazon Redshift". */
	title: string;
	query(clients: Clients, statement: string, options: {signal: AbortSignal}): Promise<SideQueryResult>;
};

export type Wizard<Clients = unknown> = {
	id: string;
	title: string;
	description: string;
	/** Bumped when the session format of this wizard changes incompatibly. */
	version: number;
	parameters: readonly Parameter[];
	steps: Array<Step<Clients>>;
	/** Creates the service clients a step uses, from the profile and the answers. */
	createClients(options: {profile: string; answers: Answers; secrets: SecretStore; log: Logger; signal: AbortSignal}): Promise<Clients>;
	/** Closes what createClients opened. */
	closeClients?(clients: Clients): Promise<void>;
	/** Where the data comes from and goes to, for `ferry sql --side source|target`. */
	sides?: {source: WizardSide<Clients>; target: WizardSide<Clients>};
	/** The source facts a saved plan records and `ferry apply` checks. */
	facts?: FactsDeclaration<Clients>;
};

/** What a procedure's facts are read with: its clients and the answers (no step has recorded anything for it). */
export type FactsContext<Clients = unknown> = {clients: Clients; answers: Answers; signal: AbortSignal};

/**
 * The source facts a run depends on (columns and types, row counts, partitions, a topic's schema), read through the
 * procedure's clients: saved in a plan (`ferry plan --out`), and read again by `ferry apply` before each step of
 * `checkBefore`, which stops with the difference instead of running something nobody reviewed.
 */
export type FactsDeclaration<Clients = unknown> = {
	/** The steps that depend on the facts, at least the first that changes anything. */
	checkBefore: string[];
	read(context: FactsContext<Clients>): Promise<SourceFact[]>;
};

/** Secret answers live here, never in the session file. */
export type SecretStore = {
	get(key: string): string | undefined;
	set(key: string, value: string): void;
};

export function defineWizard<Clients>(wizard: Wizard<Clients>): Wizard<Clients> {
	const stepIds = new Set<string>();
	for (const step of wizard.steps) {
		if (stepIds.has(step.id)) {
			throw new Error(`Wizard ${wizard.id}: duplicate step id ${step.id}`);
		}

		stepIds.add(step.id);
		for (const key of step.parameters ?? []) {
			if (!wizard.parameters.some(parameter => parameter.key === key)) {
				throw new Error(`Wizard ${wizard.id}: step ${step.id} asks for unknown parameter ${key}`);
			}
		}
	}

	for (const step of wizard.facts?.checkBefore ?? []) {
		if (!stepIds.has(step)) {
			throw new Error(`Wizard ${wizard.id}: facts are checked before unknown step ${step}`);
		}
	}

	return wizard;
}
