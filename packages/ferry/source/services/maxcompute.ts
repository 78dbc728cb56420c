import type {ServiceDescriptor} from './descriptor.js';
import type {ResolvedProfile} from './profile-endpoints.js';
import type {Logger} from '../log/logger.js';
import type {MaxComputeClient} from '../clouds/maxcompute/client.js';
import type {WizardSide} from '../engine/wizard.js';

/** A MaxCompute client for one project, from a resolved profile. */
export async function maxComputeFor(profile: ResolvedProfile, project: string, log: Logger) {
	const {createMaxComputeClient} = await import('../clouds/maxcompute/client.js');
	return createMaxComputeClient({
		endpoint: profile.alibaba.endpoints['maxcompute']!,
		project,
		credentials: async () => profile.alibaba.credentials.getCredentials(),
		logger: log,
		region: profile.alibaba.region,
		...(profile.alibaba.logviewHost ? {logviewHost: profile.alibaba.logviewHost} : {}),
	});
}

/**
 * A procedure's MaxCompute side for `ferry sql`: the statement runs with the 2.0 type system (as every step runs
 * its SQL), and a cut result or a statement without columns says so in the note.
 */
export function maxComputeSide<Clients>(clientOf: (clients: Clients) => MaxComputeClient): WizardSide<Clients> {
	return {
		title: 'MaxCompute',
		async query(clients, statement, {signal}) {
			const result = await clientOf(clients).runSql(statement.endsWith(';') ? statement : `${statement};`, {settings: {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'}, signal});
			const note = result.truncated ? 'The result was cut at 10,000 rows (the service keeps no more).' : result.columns.length === 0 ? result.text.trim() : '';
			return {columns: result.columns, rows: result.rows, ...(note ? {note} : {})};
		},
	};
}

/** MaxCompute (ODPS): SQL through the REST API. */
export const maxcompute: ServiceDescriptor = {
	name: 'maxcompute',
	title: 'MaxCompute',
	vendor: 'alibaba',
	endpointKey: 'maxcompute',
	defaultEndpoint: region => `https://service.${region}.maxcompute.aliyun.com/api`,
	whoamiSettings: [{key: 'maxcomputeProject', help: 'a MaxCompute project the keys may use'}],
	async whoami({profile, settings, log, signal}) {
		const client = await maxComputeFor(profile, settings['maxcomputeProject'] ?? '', log);
		return `${(await client.whoami({signal})).owner} (project ${client.project || '?'})`;
	},
};
