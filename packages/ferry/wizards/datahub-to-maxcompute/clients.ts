import type {DataHubClient} from '../../source/clouds/datahub/client.js';
import type {MaxComputeClient} from '../../source/clouds/maxcompute/client.js';
import {dataHubFor, maxComputeFor, profileNamed, type Answers, type Logger, type ResolvedProfile} from '../../source/kit.js';

export type DataHubClients = {profile: ResolvedProfile; datahub: DataHubClient; maxcompute: MaxComputeClient};

/** One code path: the profile decides whether these reach Alibaba Cloud or the local cloud. */
export async function createDataHubClients(options: {profile: string; answers: Answers; log: Logger}): Promise<DataHubClients> {
	const profile = await profileNamed(options.profile);
	const [datahub, maxcompute] = await Promise.all([dataHubFor(profile, options.log), maxComputeFor(profile, String(options.answers['maxcomputeProject'] ?? ''), options.log)]);
	return {profile, datahub, maxcompute};
}
