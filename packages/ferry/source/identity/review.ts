/**
 * The identities in a plan: what preflight checked and with which calls, and, for what is missing, the exact calls
 * ferry makes (parameters, policy documents, the equivalent CLI command) once the plan is accepted.
 */
import type {ReviewSection} from '../engine/wizard.js';
import {isSatisfied, pendingActions, type IdentityAction, type IdentityFinding} from './findings.js';

/** The word typed to confirm creation in the terminal UI. */
export const createConfirmationWord = 'create';

function prettyJson(text: string): string | undefined {
	if (!text.trimStart().startsWith('{')) {
		return undefined;
	}

	try {
		return JSON.stringify(JSON.parse(text), undefined, 2);
	} catch {
		return undefined;
	}
}

/** One call as the plan shows it: the call, each parameter (documents indented as JSON), then the CLI form. */
export function actionText(action: IdentityAction, index: number): string {
	const lines = [`# ${index + 1}. ${action.service} ${action.call}${action.creates ? ` — ${action.creates.kind} ${action.creates.name}` : ''}`];
	for (const [name, value] of Object.entries(action.parameters)) {
		const json = prettyJson(value);
		lines.push(json ? `${name}:\n${json.split('\n').map(line => `  ${line}`).join('\n')}` : `${name}: ${value}`);
	}

	lines.push(`$ ${action.cli}`);
	return lines.join('\n');
}

export function identityReviewSections(findings: readonly IdentityFinding[]): ReviewSection[] {
	if (findings.length === 0) {
		return [];
	}

	const actions = pendingActions(findings);
	const sections: ReviewSection[] = [{
		title: 'Identities',
		body: actions.length === 0
			? 'Every role, policy, association and grant this run needs is in place; ferry creates nothing.'
			: `${actions.filter(action => action.creates).length} identity resources are missing; ferry creates exactly these after you accept the plan, scoped to this run's buckets, prefixes and tables. Each is recorded in the session (\`ferry sessions show\` lists them with the commands that remove them).`,
		tables: [{
			columns: ['Identity', 'State', 'Checked with'],
			rows: findings.map(finding => ({
				cells: [finding.title, isSatisfied(finding) ? `in place: ${finding.found.join(', ') || 'yes'}` : `missing: ${finding.problems.map(problem => problem.text).join('; ')}`, finding.checkedWith.join(', ')],
				...(finding.notes.length > 0 ? {note: finding.notes.join('; ')} : {}),
			})),
		}],
	}];
	if (actions.length > 0) {
		sections.push({
			title: 'Identity calls ferry makes',
			code: actions.map((action, index) => actionText(action, index)).join('\n\n'),
			language: 'text',
			warnings: [`Creating them needs your consent: in the terminal type "${createConfirmationWord}" when asked; headless, pass --set createIdentities=yes. No access key is ever created.`],
		});
	}

	return sections;
}
