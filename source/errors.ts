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
	interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export type FerryErrorOptions = {
	hint?: string;
	cause?: unknown;
	/** A stable machine-readable code, e.g. the service's own error code. */
	code?: string;
};

export class FerryError extends Error {
	readonly exitCode: ExitCode;
	readonly hint: string | undefined;
	readonly code: string | undefined;

	constructor(message: string, exitCode: ExitCode, options: FerryErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : {cause: options.cause});
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

/** A preflight check that failed before anything changed. Exit 4. */
export class PreflightError extends FerryError {
	constructor(message: string, options: FerryErrorOptions = {}) {
		super(message, exitCodes.preflight, options);
		this.name = 'PreflightError';
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

/** The user pressed Ctrl-C or the run was otherwise aborted. Exit 130. */
export class InterruptedError extends FerryError {
	constructor(message = 'Interrupted', options: FerryErrorOptions = {}) {
		super(message, exitCodes.interrupted, options);
		this.name = 'InterruptedError';
	}
}

export function isAbortError(error: unknown): boolean {
	return (
		error instanceof InterruptedError ||
		(error instanceof Error && error.name === 'AbortError')
	);
}

/** The message and hint of any error, for one-line display. Unknown errors keep their message only. */
export function describeError(error: unknown): {message: string; hint: string | undefined; exitCode: ExitCode} {
	if (error instanceof FerryError) {
		return {message: error.message, hint: error.hint, exitCode: error.exitCode};
	}

	if (error instanceof Error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOSPC') {
			return {message: `No space left on the device (${error.message})`, hint: 'Free some disk space, then run `ferry resume` to continue.', exitCode: exitCodes.stepFailed};
		}

		if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
			return {message: `Cannot reach the endpoint (${error.message})`, hint: 'Check the endpoint in the profile and your network; for the local cloud run `ferry local-cloud status`.', exitCode: exitCodes.configuration};
		}

		return {message: error.message, hint: undefined, exitCode: exitCodes.stepFailed};
	}

	return {message: String(error), hint: undefined, exitCode: exitCodes.stepFailed};
}
