/**
 * The evidence pack of a session (`ferry report ID --format json|junit|html`): what was planned, what each step did
 * with the remote ids it got, the verification side by side with the rules it applied, what ferry created, and the
 * audit trail's head. One model, three renderings, so they cannot disagree. Every text in it comes redacted from its
 * source (session, report, audit trail) and is redacted again here.
 */
import {redactValue} from '../log/redact.js';
import {createdKey, type Session} from '../engine/session.js';
import type {AuditLine, AuditVerdict} from '../store/audit-trail.js';
import {notComparedOf} from './outcome.js';
import {comparisonRules, summariseCheck, type CheckSummary} from './report-summary.js';
import type {VerificationReport} from './report.js';

export type EvidenceStep = {
	id: string;
	title: string;
	state: string;
	attempts: number;
	startedAt?: string;
	finishedAt?: string;
	durationMs?: number;
	summary?: string;
	error?: string;
	/** The job, statement and instance ids the services gave this step's statements (audit trail). */
	remoteIds: string[];
	/** Remote calls the audit trail holds for this step. */
	calls: number;
};

export type EvidenceCheck = CheckSummary & {
	/** The rule this check was compared by (keys, tolerance). */
	rule: string;
	/** Why the check was not compared, in words, when it was not. */
	reason?: string;
};

export type Evidence = {
	format: 'ferry-evidence';
	formatVersion: 1;
	generatedAt: string;
	ferryVersion: string;
	session: {id: string; wizard: string; wizardVersion: number; profile: string; state: string; createdAt: string; updatedAt: string; exitCode?: number};
	/** The reviewed plan the session ran, when it ran one (`ferry apply`). */
	plan?: {hash: string};
	steps: EvidenceStep[];
	verification?: {
		outcome: string;
		equal: boolean;
		summary: string;
		startedAt: string;
		finishedAt: string;
		/** The rules every check was compared by, stated once. */
		rules: string[];
		checks: EvidenceCheck[];
	};
	/** What ferry created for the run (identities and other resources), as the steps recorded it. */
	created: unknown[];
	audit: {file: string; lines: number; head: string; intact: boolean; cause?: string; tornTail?: boolean};
};

export type EvidenceInput = {
	session: Session;
	/** The procedure's steps in order, for titles (the session holds ids only). */
	steps: ReadonlyArray<{id: string; title: string}>;
	report: VerificationReport | undefined;
	auditLines: readonly AuditLine[];
	auditVerdict: AuditVerdict;
	auditFile: string;
	ferryVersion: string;
	now?: Date;
};

/** Where steps keep what they created (identities and others): `StepContext.created`. */

export function buildEvidence(input: EvidenceInput): Evidence {
	const {session, report, auditVerdict} = input;
	const planHash = session.plan?.hash;
	const steps = input.steps.map(({id, title}): EvidenceStep => {
		const record = session.steps[id];
		const lines = input.auditLines.filter(line => line.step === id);
		const started = record?.startedAt ? Date.parse(record.startedAt) : Number.NaN;
		const finished = record?.finishedAt ? Date.parse(record.finishedAt) : Number.NaN;
		return {
			id,
			title,
			state: record?.state ?? 'pending',
			attempts: record?.attempts ?? 0,
			...(record?.startedAt ? {startedAt: record.startedAt} : {}),
			...(record?.finishedAt ? {finishedAt: record.finishedAt} : {}),
			...(Number.isFinite(started) && Number.isFinite(finished) ? {durationMs: finished - started} : {}),
			...(record?.summary ? {summary: record.summary} : {}),
			...(record?.error ? {error: record.error.message} : {}),
			remoteIds: [...new Set(lines.flatMap(line => (line.type === 'statement' && line.remoteId ? [line.remoteId] : [])))],
			calls: lines.filter(line => line.type === 'call').length,
		};
	});

	const evidence: Evidence = {
		format: 'ferry-evidence',
		formatVersion: 1,
		generatedAt: (input.now ?? new Date()).toISOString(),
		ferryVersion: input.ferryVersion,
		session: {
			id: session.id, wizard: session.wizard, wizardVersion: session.wizardVersion, profile: session.profile, state: session.state,
			createdAt: session.createdAt, updatedAt: session.updatedAt, ...(session.exitCode === undefined ? {} : {exitCode: session.exitCode}),
		},
		...(typeof planHash === 'string' ? {plan: {hash: planHash}} : {}),
		steps,
		...(report ? {verification: verificationOf(report)} : {}),
		created: Object.values(session.steps).flatMap(record => (Array.isArray(record.outputs[createdKey]) ? record.outputs[createdKey] as unknown[] : [])),
		audit: {
			file: input.auditFile,
			lines: auditVerdict.head.lines,
			head: auditVerdict.head.hash,
			intact: auditVerdict.intact,
			...(auditVerdict.intact ? (auditVerdict.tornTail ? {tornTail: true} : {}) : {cause: auditVerdict.cause}),
		},
	};
	return redactValue(evidence);
}

function verificationOf(report: VerificationReport): NonNullable<Evidence['verification']> {
	return {
		outcome: report.outcome,
		equal: report.equal,
		summary: report.summary.text,
		startedAt: report.startedAt,
		finishedAt: report.finishedAt,
		rules: comparisonRules(report),
		checks: report.comparisons.map(comparison => {
			const missed = notComparedOf(comparison);
			return {...summariseCheck(comparison), rule: comparison.rule, ...(missed ? {reason: missed.message} : {})};
		}),
	};
}

export function renderEvidenceJson(evidence: Evidence): string {
	return `${JSON.stringify(evidence, undefined, 2)}\n`;
}
