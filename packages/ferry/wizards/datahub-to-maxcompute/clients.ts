import {dataHubFor, maxComputeFor, profileNamed, type DataHubClient, type Logger, type MaxComputeClient, type ResolvedProfile} from '../../source/kit.js';

export type DataHubClients = {profile: ResolvedProfile; datahub: DataHubClient; maxcompute: MaxComputeClient};

/** One code path: the profile decides whether these reach Alibaba Cloud or the local cloud. */
export async function createDataHubClients(options: {profile: string; answers: {maxcomputeProject?: string}; log: Logger}): Promise<DataHubClients> {
	const profile = await profileNamed(options.profile);
	const [datahub, maxcompute] = await Promise.all([dataHubFor(profile, options.log), maxComputeFor(profile, options.answers.maxcomputeProject ?? '', options.log)]);
	return {profile, datahub, maxcompute};
}
