/**
 * Typed errors. Every error a user can cause carries a one-line cause, a hint and the exit code
 * from design.md, so the top level never prints a stack trace for them.
 */
export const exitCodes = {
	ok: 0,
	stepFailed: 1,
	usage: 2,
	configuration: 3,
	preflight: 4,
	verification: 5,
	/** Interrupted by SIGHUP (the terminal or SSH connection went away): 128 + 1. */
	hangUp: 129,
	/** Interrupted by Ctrl-C (SIGINT), or stopped at a review: 128 + 2. */
	interrupted: 130,
	/** Interrupted by SIGTERM (`timeout`, `docker stop`, systemd): 128 + 15. */
	terminated: 143,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The signals ferry treats as an interrupt: the session is saved and the run stops at once. */
export const interruptSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type InterruptSignal = (typeof interruptSignals)[number];

/**
 * The one rule for an interrupted run's exit code: 128 + the signal's number, the code a shell reports for a process
 * that signal ended (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP), so `timeout`, systemd and scripts read it as
 * they would read a killed process, while the session is saved and resumable.
 */
export const signalExitCodes: Readonly<Record<InterruptSignal, ExitCode>> = {SIGINT: exitCodes.interrupted, SIGTERM: exitCodes.terminated, SIGHUP: exitCodes.hangUp};

// The signal-specific codes first: an AbortError (130) caused by a SIGTERM's InterruptedError exits 143.
const interruptedCodes: readonly ExitCode[] = [exitCodes.terminated, exitCodes.hangUp, exitCodes.interrupted];

export type FerryErrorOptions = {
	hint?: string;
	cause?: unknown;
	/** A stable machine-readable code, e.g. the service's own error code. */
	code?: string;
};

/**
 * Marks ferry's errors, so `instanceof FerryError` also holds for one thrown by another bundle's copy of this module
 * (the local cloud's package bundles its own).
 */
const ferryErrorBrand = Symbol.for('ferry.FerryError');

export class FerryError extends Error {
	static override [Symbol.hasInstance](value: unknown): boolean {
		if (this === FerryError) {
			return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ferryErrorBrand] === true;
		}

		return Function.prototype[Symbol.hasInstance].call(this, value);
	}

	readonly exitCode: ExitCode;
	readonly hint: string | undefined;
	readonly code: string | undefined;

	constructor(message: string, exitCode: ExitCode, options: FerryErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : {cause: options.cause});
		Object.defineProperty(this, ferryErrorBrand, {value: true});
		this.name = 'FerryError';
		this.exitCode = exitCode;
		this.hint = options.hint;
		this.code = options.code;
	}
}

/** Bad flags, a malformed answers file, an answer missing in non-interactive mode. Exit 2. */
export class UsageError extends FerryError {
	constructor(message: string, options: FerryErrorOptions = {}) {
		super(message, exitCodes.usage, options);
		this.name = 'UsageError';
	}
}

/** A profile, endpoint or credential that is wrong or missing. Exit 3. */
export class ConfigurationError extends FerryError {
	constructor(message: string, options: FerryErrorOptions = {}) {
		super(message, exitCodes.configuration, options);
		this.name = 'ConfigurationError';
	}
}

/**
 * A preflight check that failed before anything changed. Exit 4, unless its causes say more (wrong credentials or an
 * unreachable endpoint: 3; a wrong answer: 2), see `exitCodeFor`; pass them as `causes`.
 */
export class PreflightError extends FerryError {
	readonly causes: readonly unknown[];

	constructor(message: string, options: FerryErrorOptions & {causes?: readonly unknown[]} = {}) {
		const {causes = [], ...rest} = options;
		super(message, exitCodes.preflight, rest);
		this.name = 'PreflightError';
		this.causes = causes;
	}
}

/** A step that failed while doing its work. Exit 1. */
export class StepError extends FerryError {
	constructor(message: string, options: FerryErrorOptions = {}) {
		super(message, exitCodes.stepFailed, options);
		this.name = 'StepError';
	}
}

/** A remote service answered with an error. Exit 1 unless it is an authentication problem (3). */
export class ServiceError extends FerryError {
	readonly service: string;
	readonly status: number | undefined;
	readonly requestId: string | undefined;
	readonly retryable: boolean;

	constructor(
		service: string,
		message: string,
		options: FerryErrorOptions & {status?: number; requestId?: string; retryable?: boolean; auth?: boolean} = {},
	) {
		super(`${service}: ${message}`, options.auth ? exitCodes.configuration : exitCodes.stepFailed, options);
		this.name = 'ServiceError';
		this.service = service;
		this.status = options.status;
		this.requestId = options.requestId;
		this.retryable = options.retryable ?? false;
	}
}

/** The user pressed Ctrl-C, a SIGTERM or SIGHUP arrived, or the run was otherwise aborted. Exit 130 (or 143, 129: `signalExitCodes`). */
export class InterruptedError extends FerryError {
	readonly signal: InterruptSignal | undefined;

	constructor(message = 'Interrupted', options: FerryErrorOptions & {signal?: InterruptSignal} = {}) {
		const {signal, ...rest} = options;
		super(message, signal === undefined ? exitCodes.interrupted : signalExitCodes[signal], rest);
		this.name = 'InterruptedError';
		this.signal = signal;
	}
}

export function isAbortError(error: unknown): boolean {
	return (
		error instanceof InterruptedError ||
		(error instanceof Error && error.name === 'AbortError')
	);
}

/** System error codes meaning the endpoint is not there: a wrong endpoint, no network, or a local cloud that went away. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Error codes that name a wrong answer, whichever step or client finds it. */
const usageCodes = new Set(['NoSuchSchema', 'SchemaNotFound']);

/** Which cause decides when several are found: the user's next action (stop, fix an answer, fix a profile). */
const causePriority: readonly ExitCode[] = [...interruptedCodes, exitCodes.usage, exitCodes.configuration, exitCodes.verification];

/** The exit code one error link says by itself, when it names its cause; undefined for a generic failure. */
function causeCode(error: unknown): ExitCode | undefined {
	if (!(error instanceof Error)) {
		return undefined;
	}

	const code = (error as NodeJS.ErrnoException).code;
	if (error instanceof InterruptedError) {
		return error.exitCode;
	}

	if (error.name === 'AbortError') {
		return exitCodes.interrupted;
	}

	if ((code !== undefined && unreachableCodes.has(code)) || isBadPort(error)) {
		return exitCodes.configuration;
	}

	if (code !== undefined && usageCodes.has(code)) {
		return exitCodes.usage;
	}

	if (error instanceof ServiceError) {
		return error.exitCode === exitCodes.configuration ? exitCodes.configuration : undefined;
	}

	if (error instanceof FerryError && causePriority.includes(error.exitCode)) {
		return error.exitCode;
	}

	return undefined;
}

/** The error and everything it wraps: `cause` chains, AggregateError lists, a PreflightError's causes. */
function errorTree(error: unknown, seen = new Set<unknown>()): unknown[] {
	if (error === undefined || error === null || seen.has(error)) {
		return [];
	}

	seen.add(error);
	const inner: unknown[] = [];
	if (error instanceof Error) {
		inner.push(error.cause);
		if (error instanceof AggregateError) {
			inner.push(...(error.errors as unknown[]));
		}

		if (error instanceof PreflightError) {
			inner.push(...error.causes);
		}
	}

	return [error, ...inner.flatMap(child => errorTree(child, seen))];
}

/**
 * The one mapping from cause to exit code: the most decisive cause anywhere in the error (interrupted 130/143/129, a wrong
 * answer 2, wrong credentials or an unreachable endpoint 3, a verification difference 5), else the error's own code
 * (preflight 4, step 1). So the same cause exits the same way however deep it surfaces.
 */
export function exitCodeFor(error: unknown): ExitCode {
	const found = new Set(errorTree(error).map(link => causeCode(link)));
	const decisive = causePriority.find(code => found.has(code));
	if (decisive !== undefined) {
		return decisive;
	}

	return error instanceof FerryError ? error.exitCode : exitCodes.stepFailed;
}

/** fetch refuses the ports browsers block (1, 7, 9, 25…) with a bare "bad port" and no code. */
function isBadPort(error: Error): boolean {
	return error.message === 'bad port';
}

function unreachableLink(error: unknown): Error | undefined {
	return errorTree(error).find((link): link is Error => link instanceof Error && unreachableCodes.has((link as NodeJS.ErrnoException).code ?? ''));
}

const unreachableHint = 'Check the endpoint in the profile and your network; for the local cloud run `ferry local-cloud status` (start it with `ferry local-cloud start`).';

/** The message and hint of any error, for one-line display. Unknown errors keep their message only. */
export function describeError(error: unknown): {message: string; hint: string | undefined; exitCode: ExitCode} {
	const exitCode = exitCodeFor(error);
	if (error instanceof FerryError) {
		const hint = error.hint ?? (unreachableLink(error) ? unreachableHint : undefined);
		return {message: error.message, hint, exitCode};
	}

	if (error instanceof Error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOSPC') {
			return {message: `No space left on the device (${error.message})`, hint: 'Free some disk space, then run `ferry resume` to continue.', exitCode};
		}

		if (errorTree(error).some(link => link instanceof Error && isBadPort(link))) {
			return {message: 'The endpoint\'s port is one that fetch refuses to connect to (a "bad port", e.g. 1, 7, 25, 6000)', hint: 'Use another port for the endpoint in the profile (for the local cloud: `ferry local-cloud start --ports NAME=PORT`).', exitCode};
		}

		const unreachable = unreachableLink(error);
		if (unreachable) {
			return {message: `Cannot reach the endpoint (${unreachable.message})`, hint: unreachableHint, exitCode};
		}

		return {message: error.message, hint: undefined, exitCode};
	}

	return {message: String(error), hint: undefined, exitCode};
}

/**
 * An exception ferry did not expect: not one of its typed errors, not an interrupt, and not a failure of the system
 * or a library that says what it is (an errno or service code, an HTTP status, an AWS SDK error). Such an error is
 * a bug in ferry, and is reported as one (with where its details are) rather than as the user's mistake.
 */
export function isBug(error: unknown): boolean {
	if (error instanceof FerryError || isAbortError(error) || errorTree(error).some(link => causeCode(link) !== undefined)) {
		return false;
	}

	if (!(error instanceof Error)) {
		return true;
	}

	const fields = error as Error & {code?: unknown; status?: unknown; statusCode?: unknown; $metadata?: unknown};
	if (fields.code !== undefined || fields.status !== undefined || fields.statusCode !== undefined || fields.$metadata !== undefined || error.name === 'TimeoutError') {
		return false;
	}

	return describeError(error).message === error.message && !errorTree(error.cause).some(link => link instanceof FerryError);
}

/**
 * `describeError`, with a bug told apart from the user's mistake: "This is a bug in ferry: TypeError: …", one line,
 * and a hint to report it. Where the details are (the session log, a crash log) the caller knows and adds.
 */
export function describeOutcome(error: unknown): {message: string; hint: string | undefined; exitCode: ExitCode} {
	const described = describeError(error);
	if (!isBug(error)) {
		return described;
	}

	const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
	return {message: `This is a bug in ferry: ${name}${described.message.split('\n')[0]}`, hint: bugReportHint(), exitCode: exitCodes.stepFailed};
}

/** What to do about a bug: report it, with the file that holds its stack when there is one (a session log, a crash log). */
export function bugReportHint(file?: string): string {
	return file ? `Its details are in ${file}; please report it with that file and the command you ran.` : 'Please report it with the command you ran (FERRY_DEBUG=1 prints the stack).';
}

/** ferry's machine-readable code for each kind of outcome, when an error carries no code of its own. */
const codesByExitCode: Record<ExitCode, string> = {
	[exitCodes.ok]: 'ok',
	[exitCodes.stepFailed]: 'step-failed',
	[exitCodes.usage]: 'usage',
	[exitCodes.configuration]: 'configuration',
	[exitCodes.preflight]: 'preflight',
	[exitCodes.verification]: 'verification-differs',
	[exitCodes.hangUp]: 'interrupted',
	[exitCodes.interrupted]: 'interrupted',
	[exitCodes.terminated]: 'interrupted',
};

/**
 * The error as a `--json` document's `error`: the one-line cause and hint, a `code` (the service's own error code
 * when a service error is anywhere in the chain, else the error's code, else ferry's for its kind; `bug` for a bug),
 * and the service's request id when one is known, for a support ticket.
 */
export function errorDocument(error: unknown): {message: string; hint?: string; code: string; requestId?: string; service?: string} {
	const {message, hint, exitCode} = describeOutcome(error);
	const links = errorTree(error);
	const service = links.find((link): link is ServiceError => link instanceof ServiceError);
	const requestId = links.map(link => (link instanceof ServiceError ? link.requestId : undefined)).find(id => id !== undefined);
	const own = links.map(link => (link instanceof FerryError ? link.code : undefined)).find(code => code !== undefined);
	const code = isBug(error) ? 'bug' : service?.code ?? own ?? codesByExitCode[exitCode];
	return {message, ...(hint ? {hint} : {}), code, ...(requestId ? {requestId} : {}), ...(service ? {service: service.service} : {})};
}
