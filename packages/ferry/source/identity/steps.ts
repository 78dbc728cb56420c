/**
 * The hooks a procedure uses for its identities: the `createIdentities` answer, each finding as a preflight check
 * (passing when in place, or when what is missing may be created and creating it is accepted), the findings kept in
 * the session for the plan, and the step after the plan that creates what is missing (typed confirmation in the
 * terminal, `--set createIdentities=yes` headless) and checks everything again.
 */
import {PreflightError, StepError} from '../engine/errors.js';
import {fixedChoices} from '../engine/procedure.js';
import type {Answers, Parameter, RunMode, Step, StepContext, StepOutputs} from '../engine/wizard.js';
import {createIdentities, type IdentityCallClients} from './create.js';
import {findingDetail, findingLine, identityGate, isCreatable, isSatisfied, pendingActions, type CreateIdentitiesAnswer, type IdentityFinding} from './findings.js';
import {createConfirmationWord} from './review.js';

export const createIdentitiesParameter = {
	key: 'createIdentities',
	label: 'Create missing identities',
	type: 'select',
	help: 'What preflight does when a role, policy, cluster association or grant the run needs is missing: ask (the terminal asks after the plan, with a typed confirmation; headless runs stop), yes (ferry creates exactly what the plan shows, least privilege, scoped to this run), no (stop with the fixes to make by hand).',
	default: 'ask',
	choices: fixedChoices([
		{value: 'ask', label: 'Ask after the plan'},
		{value: 'yes', label: 'Create them'},
		{value: 'no', label: 'Never: stop with the fixes'},
	]),
} as const satisfies Parameter;

/** Where preflight keeps the findings (its output key). */
export const findingsKey = 'identities';

export function createIdentitiesAnswer(answers: Answers): CreateIdentitiesAnswer {
	const answer = answers[createIdentitiesParameter.key];
	return answer === 'yes' || answer === 'no' ? answer : 'ask';
}

/** A finding as one preflight check: passed, or failed with every fix (exit 4 with the rest of preflight). */
export function identityCheck(finding: IdentityFinding, answers: Answers, mode: RunMode): {ok: boolean; detail: string; hint?: string[]} {
	const detail = findingDetail(finding);
	if (isSatisfied(finding)) {
		return {ok: true, detail};
	}

	const gate = identityGate([finding], createIdentitiesAnswer(answers), mode);
	if (gate.ok) {
		return {ok: true, detail: `${detail}: ferry creates it after the plan`};
	}

	// The fixes, then the way out they share (said once when several checks fail).
	return {ok: false, detail, hint: [`Fix by hand: ${gate.fixes.join(' · ')}.`, ...(gate.createHint ? [gate.createHint] : [])]};
}

export function identityFindingsOf(outputs: StepOutputs, step = 'preflight'): IdentityFinding[] {
	return (outputs[step]?.[findingsKey] as IdentityFinding[] | undefined) ?? [];
}

export type IdentitiesStepOptions<Clients> = {
	/** The step that recorded the findings. @default 'preflight' */
	findingsStep?: string;
	explain: string;
	/** The clients the calls go through (the profile's). */
	clients(context: StepContext<Clients>): Promise<IdentityCallClients> | IdentityCallClients;
	/** Every identity checked again, after the calls. */
	recheck(context: StepContext<Clients>): Promise<IdentityFinding[]>;
};

/**
 * The step that creates what preflight found missing (nothing when all was in place), once per call, and checks every
 * identity again: still missing is a failure, not a run on half-made identities. Safe to rerun: each call looks
 * before it creates.
 */
export function identitiesStep<Clients>(options: IdentitiesStepOptions<Clients>): Step<Clients> {
	const findingsStep = options.findingsStep ?? 'preflight';
	return {
		id: 'identities',
		title: 'Identities',
		kind: 'task',
		rerun: 'safe',
		explain: options.explain,
		confirm(answers, {outputs, mode}) {
			const actions = pendingActions(identityFindingsOf(outputs, findingsStep));
			if (actions.length === 0 || mode !== 'interactive' || createIdentitiesAnswer(answers) === 'yes') {
				return undefined;
			}

			const creates = actions.filter(action => action.creates).map(action => `${action.creates!.service} ${action.creates!.kind} ${action.creates!.name}`);
			return {expected: createConfirmationWord, message: `ferry creates ${creates.length} identity resources the plan showed: ${creates.join(', ')}.`};
		},
		async run(context) {
			const findings = identityFindingsOf(context.outputs, findingsStep);
			const actions = pendingActions(findings);
			if (actions.length === 0) {
				context.summary(`${findings.length} identities in place · nothing created`);
				return;
			}

			if (findings.some(finding => !isSatisfied(finding) && !isCreatable(finding))) {
				throw new StepError('Preflight recorded identities ferry cannot create', {hint: 'Start a new run: preflight decides again.'});
			}

			const answer = createIdentitiesAnswer(context.answers);
			if (answer === 'no' || (answer === 'ask' && context.mode !== 'interactive')) {
				throw new PreflightError('Creating the missing identities needs your consent', {hint: 'Pass --set createIdentities=yes (`ferry resume <session> --set createIdentities=yes`), or run in the terminal and type the confirmation.'});
			}

			const created = await createIdentities(actions, {
				clients: await options.clients(context),
				checkpoint: context.checkpoint,
				signal: context.signal,
				report: line => context.report(line),
				created: resource => context.created(resource),
			});
			const after = await options.recheck(context);
			for (const finding of after) {
				context.report(findingLine(finding));
			}

			const still = after.filter(finding => !isSatisfied(finding));
			if (still.length > 0) {
				throw new StepError(`Identities still missing after creating them: ${still.map(finding => `${finding.title}: ${finding.problems.map(problem => problem.text).join('; ')}`).join('; ')}`, {hint: `Fix by hand: ${still.flatMap(finding => finding.problems.map(problem => problem.fix)).join(' · ')}; then \`ferry resume\`.`});
			}

			context.output('checked', after);
			context.summary(`${created.length} created · ${after.length} identities checked again and in place`);
		},
	};
}
