import {closestMatch} from '../source/engine/closest-match.js';
import {UsageError} from '../source/engine/errors.js';
import type {Wizard} from '../source/engine/wizard.js';
import {about as dataHubToMaxCompute} from './datahub-to-maxcompute/about.js';
import {about as maxComputeToLogHub} from './maxcompute-to-loghub/about.js';
import {about as redshiftToMaxCompute} from './redshift-to-maxcompute/about.js';

type CatalogEntry = {
	id: string;
	title: string;
	description: string;
	/** One line for `ferry --help`. */
	summary: string;
	/** What `ferry --help` shows as examples for this procedure. */
	examples: {set: string; sql: {side: 'source' | 'target'; statement: string}};
	load: () => Promise<{default: Wizard<unknown>}>;
};

/**
 * The procedures ferry runs: one entry per folder under wizards/. Listed here without loading them, so menus and
 * help stay fast; the wizard itself loads when a run needs it.
 */
export const wizardCatalog: readonly CatalogEntry[] = [
	{...redshiftToMaxCompute, load: async () => import('./redshift-to-maxcompute/wizard.js') as Promise<{default: Wizard<unknown>}>},
	{...dataHubToMaxCompute, load: async () => import('./datahub-to-maxcompute/wizard.js') as Promise<{default: Wizard<unknown>}>},
	{...maxComputeToLogHub, load: async () => import('./maxcompute-to-loghub/wizard.js') as Promise<{default: Wizard<unknown>}>},
];

export async function loadWizard(id: string): Promise<Wizard<unknown>> {
	const entry = wizardCatalog.find(wizard => wizard.id === id);
	if (!entry) {
		const ids = wizardCatalog.map(wizard => wizard.id);
		const match = closestMatch(id, ids);
		throw new UsageError(`Unknown wizard ${JSON.stringify(id)}`, {hint: `${match ? `Did you mean ${match}? ` : ''}Available: ${ids.join(', ')} (\`ferry --help\` describes them).`});
	}

	const wizard = (await entry.load()).default;
	if (wizard.id !== entry.id) {
		throw new Error(`wizards/index.ts lists ${entry.id}, but its module defines ${wizard.id}`);
	}

	return wizard;
}
