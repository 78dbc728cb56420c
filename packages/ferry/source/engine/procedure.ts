/**
 * Typed procedures, as Backstage's createTemplateAction types an action's input and output: a wizard declares its
 * parameters with `defineParameters` and the outputs its steps record, and its steps see `answers` typed by
 * parameter kind, `secret(key)` limited to its secret answers, `output(key, value)` limited to what the step
 * declares, and `outputOf(step, key)` typed by what that step declares. A misspelt answer, secret, output or step is
 * a compile error. At run time `procedure.step` only hands the step the typed view of the engine's context: the
 * engine, the session format and `Wizard`/`Step` stay as they are.
 */
import {StepError} from './errors.js';
import type {Answers, Choice, FactsDeclaration, Parameter, ParameterContext, ReviewDocument, Step, StepContext, Wizard} from './wizard.js';
import type {SourceFact} from './source-facts.js';
import type {Logger} from '../log/logger.js';

/** Declares a wizard's parameters, keeping each one's key, kind, choices and optionality for `AnswersOf`. */
export function defineParameters<const Declared extends readonly Parameter[]>(parameters: Declared): Declared {
	return parameters;
}

/** Choices that do not depend on the context: their values become the type of the answer. */
export function fixedChoices<const Choices extends readonly Choice[]>(choices: Choices): (context: ParameterContext) => Choices {
	return () => choices;
}

type ChoiceValue<Declared> = Declared extends {choices: (context: never) => readonly (infer Item)[]} ? (Item extends {value: infer Value extends string} ? Value : string) : string;

type ValueOf<Declared> = Declared extends {type: 'number'} ? number
	: Declared extends {type: 'boolean'} ? boolean
	: Declared extends {type: 'select'} ? ChoiceValue<Declared>
	: Declared extends {type: 'list'} ? Array<ChoiceValue<Declared>>
	: Declared extends {type: 'json'} ? unknown
	: string;

/** An answer may be absent when it is optional or asked only under a condition (`when`). */
type MayBeAbsent<Declared> = Declared extends {optional: true} ? true : Declared extends {when: (answers: never) => boolean} ? true : false;

type Answered<Parameters extends readonly Parameter[]> = Exclude<Parameters[number], {type: 'secret'}>;

/** A wizard's answers as its steps see them: one property per parameter, typed by its kind; secrets are not answers. */
export type AnswersOf<Parameters extends readonly Parameter[]> =
	& {readonly [Declared in Answered<Parameters> as MayBeAbsent<Declared> extends true ? never : Declared['key']]: ValueOf<Declared>}
	& {readonly [Declared in Answered<Parameters> as MayBeAbsent<Declared> extends true ? Declared['key'] : never]?: ValueOf<Declared>};

/** The keys of a wizard's secret answers, read with `secret(key)`. */
export type SecretKeyOf<Parameters extends readonly Parameter[]> = Extract<Parameters[number], {type: 'secret'}>['key'];

/** The keys of all of a wizard's parameters, as a form step lists them. */
export type ParameterKeyOf<Parameters extends readonly Parameter[]> = Parameters[number]['key'];

/** What a procedure's types are: its clients, its declared parameters, and the outputs its steps record (step id → key → value). */
export type ProcedureTypes = {clients: unknown; parameters: readonly Parameter[]; outputs: object};

type DeclaredOutputs<Types extends ProcedureTypes, Id extends string> = [Id] extends [never] ? Record<never, never> : Id extends keyof Types['outputs'] ? Types['outputs'][Id] : Record<never, never>;

/** What the steps recorded so far: any of them may not have run yet, so every output may be absent. */
export type RecordedOutputs<Outputs extends object> = {readonly [Id in keyof Outputs]?: {readonly [Key in keyof Outputs[Id]]?: Outputs[Id][Key]}};

/**
 * The context of a step of a typed procedure. `Id` is the step's own id: what it may record. Helpers shared by
 * several steps take `ProcedureContext<Types>`, which reads everything and records nothing.
 */
export type ProcedureContext<Types extends ProcedureTypes, Id extends string = never> = Omit<StepContext<Types['clients']>, 'answers' | 'outputs' | 'output' | 'secret'> & {
	answers: AnswersOf<Types['parameters']>;
	/** Outputs of finished steps, by step id; `outputOf` reads one that must be there. */
	outputs: RecordedOutputs<Types['outputs']>;
	/** A secret answer (never in the session file). */
	secret(key: SecretKeyOf<Types['parameters']>): string | undefined;
	/** Records an output this step declares (saved at once). */
	output<Key extends keyof DeclaredOutputs<Types, Id> & string>(key: Key, value: DeclaredOutputs<Types, Id>[Key]): void;
	/**
	 * What an earlier step recorded. Missing, it is a step failure that names the step: a session from before that
	 * step recorded it cannot go on.
	 */
	outputOf<Step extends keyof Types['outputs'] & string, Key extends keyof Types['outputs'][Step] & string>(step: Step, key: Key): Types['outputs'][Step][Key];
};

/** A step of a typed procedure: `Step`, with typed form parameters, context and confirmation. */
export type ProcedureStep<Types extends ProcedureTypes, Id extends string> = Omit<Step<Types['clients']>, 'id' | 'parameters' | 'run' | 'review' | 'confirm'> & {
	id: Id;
	/** Form steps: the parameter keys asked on this step, in order. */
	parameters?: Array<ParameterKeyOf<Types['parameters']>>;
	run?: (context: ProcedureContext<Types, Id>) => Promise<void>;
	review?: (context: ProcedureContext<Types, Id>) => Promise<ReviewDocument>;
	confirm?: (answers: AnswersOf<Types['parameters']>) => {expected: string; message: string} | undefined;
};

/** What `createClients` gets in a typed procedure: `ferry sql` makes clients from a profile before anything is asked, so any answer may be absent. */
export type ProcedureClientOptions<Types extends ProcedureTypes> = {
	profile: string;
	answers: Partial<AnswersOf<Types['parameters']>>;
	secrets: {get(key: SecretKeyOf<Types['parameters']>): string | undefined};
	log: Logger;
	signal: AbortSignal;
};

export type Procedure<Types extends ProcedureTypes> = {
	/** A step of the procedure, as the engine runs it. */
	step<const Id extends string>(definition: ProcedureStep<Types, Id>): Step<Types['clients']>;
	/** The wizard's `facts`: read with the clients and typed answers. */
	facts(definition: {checkBefore: string[]; read(context: {clients: Types['clients']; answers: AnswersOf<Types['parameters']>; signal: AbortSignal}): Promise<SourceFact[]>}): FactsDeclaration<Types['clients']>;
	/** The wizard's `createClients`, given typed answers. */
	createClients(create: (options: ProcedureClientOptions<Types>) => Promise<Types['clients']>): Wizard<Types['clients']>['createClients'];
};

/**
 * The answers a step reads: an answer emptied on purpose in a form is saved as null (so its default stays away);
 * to a step it is absent, as every other answer left empty.
 */
export function presentAnswers(answers: Answers): Answers {
	return Object.fromEntries(Object.entries(answers).filter(([, value]) => value !== null));
}

/** What `step` recorded as `key`; missing, a step failure that names the step. */
export function requireOutput(outputs: StepContext['outputs'], step: string, key: string): unknown {
	const value = outputs[step]?.[key];
	if (value === undefined) {
		throw new StepError(`The ${step} step's ${key} is missing from the session`, {hint: `Start a new run: the ${step} step records it.`});
	}

	return value;
}

function typedContext<Types extends ProcedureTypes, Id extends string>(context: StepContext<Types['clients']>): ProcedureContext<Types, Id> {
	return {
		...context,
		answers: presentAnswers(context.answers),
		outputOf: (step: string, key: string) => requireOutput(context.outputs, step, key),
	} as unknown as ProcedureContext<Types, Id>;
}

/**
 * The typed definitions of one procedure: `const procedure = defineProcedure<{clients; parameters; outputs}>()`, then
 * `procedure.step({...})` for each step and `procedure.createClients(...)`.
 */
export function defineProcedure<Types extends ProcedureTypes>(): Procedure<Types> {
	return {
		step(definition) {
			const {run, review, confirm, ...rest} = definition;
			return {
				...rest,
				...(run ? {run: async context => run(typedContext(context))} : {}),
				...(review ? {review: async context => review(typedContext(context))} : {}),
				...(confirm ? {confirm: answers => confirm(presentAnswers(answers) as AnswersOf<Types['parameters']>)} : {}),
			} as Step<Types['clients']>;
		},
		facts: ({checkBefore, read}) => ({checkBefore, read: async context => read({...context, answers: presentAnswers(context.answers) as AnswersOf<Types['parameters']>})}),
		createClients: create => async options => create({...options, answers: presentAnswers(options.answers) as Partial<AnswersOf<Types['parameters']>>, secrets: options.secrets}),
	};
}
