import {randomBytes} from 'node:crypto';
import type {Answers} from './wizard.js';
import {isProcessAlive} from '../process-alive.js';

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'interrupted';

export type StepRecord = {
	state: StepState;
	startedAt?: string;
	finishedAt?: string;
	attempts: number;
	error?: {message: string; hint?: string};
	outputs: Record<string, unknown>;
	checkpoints: Record<string, unknown>;
};

export type SessionState = 'running' | 'failed' | 'interrupted' | 'done' | 'different';

/** Everything needed to resume a run. Never holds a secret: those stay in the credentials file. */
export type Session = {
	id: string;
	wizard: string;
	wizardVersion: number;
	profile: string;
	createdAt: string;
	updatedAt: string;
	state: SessionState;
	currentStep?: string;
	answers: Answers;
	steps: Record<string, StepRecord>;
	/** Set when the run ends. */
	exitCode?: number;
	/** The process running the session, so a listing can tell a live run from one that was killed. */
	pid?: number;
};

export function newSessionId(wizard: string, now = new Date()): string {
	const initials = wizard.split('-').map(part => part[0]).join('');
	const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
	return `${initials}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export function createSession(options: {wizard: string; wizardVersion: number; profile: string; stepIds: string[]; answers: Answers; now?: Date}): Session {
	const now = (options.now ?? new Date()).toISOString();
	return {
		id: newSessionId(options.wizard, options.now),
		wizard: options.wizard,
		wizardVersion: options.wizardVersion,
		profile: options.profile,
		createdAt: now,
		updatedAt: now,
		state: 'running',
		answers: options.answers,
		steps: Object.fromEntries(options.stepIds.map(id => [id, emptyStepRecord()])),
	};
}

export function emptyStepRecord(): StepRecord {
	return {state: 'pending', attempts: 0, outputs: {}, checkpoints: {}};
}

/** The state to show: a session left "running" by a process that no longer exists was killed, and can be resumed. */
export function displayState(session: Session): string {
	return session.state === 'running' && session.pid !== undefined && session.pid !== process.pid && !isProcessAlive(session.pid) ? 'killed' : session.state;
}

/** The last step that finished or is under way, for listings. */
export function lastStep(session: Session): string | undefined {
	if (session.currentStep) {
		return session.currentStep;
	}

	const started = Object.entries(session.steps).filter(([, record]) => record.state !== 'pending');
	return started.at(-1)?.[0];
}
