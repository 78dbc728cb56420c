import {UsageError} from '../source/errors.js';
import type {Wizard} from '../source/engine/wizard.js';

/** The procedures ferry runs. Listed here without loading them, so menus and help stay fast. */
export const wizardCatalog = [
	{
		id: 'redshift-to-maxcompute',
		title: 'Amazon Redshift → MaxCompute',
		description: 'UNLOAD to S3 as Parquet, move S3 → OSS, create tables, LOAD into MaxCompute, verify side by side',
	},
] as const;

const loaders: Record<string, () => Promise<{default: Wizard<unknown>}>> = {
	'redshift-to-maxcompute': async () => import('./redshift-to-maxcompute/wizard.js') as Promise<{default: Wizard<unknown>}>,
};

export async function loadWizard(id: string): Promise<Wizard<unknown>> {
	const load = loaders[id];
	if (!load) {
		throw new UsageError(`Unknown wizard ${JSON.stringify(id)}`, {hint: `Available: ${wizardCatalog.map(wizard => wizard.id).join(', ')}`});
	}

	return (await load()).default;
}
