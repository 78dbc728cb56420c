import type {VerificationReport} from '../../source/verify/report.js';

/** The document `ferry run|resume|verify --json` prints on stdout (see resultDocument in source/session-run.ts). */
export type RunDocument = {
	ok: boolean;
	exitCode: number;
	session: {id: string; wizard: string; profile: string; state: string; log: string};
	steps: Array<{id: string; title: string; state: string; attempts: number; error?: {message: string; hint?: string}}>;
	error?: {message: string; hint?: string};
	verification?: VerificationReport;
};

export const redshiftToMaxComputeSteps = ['connections', 'preflight', 'tables', 'plan', 'identities', 'unload', 'inventory', 'transfer', 'create-tables', 'load', 'verify'];
