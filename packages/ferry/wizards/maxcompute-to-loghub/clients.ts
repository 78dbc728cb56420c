import {dataWorksFor, logServiceFor, maxComputeFor, profileNamed, type DataWorksClient, type Logger, type LogServiceClient, type MaxComputeClient, type ResolvedProfile} from '../../source/kit.js';

export type LogHubClients = {profile: ResolvedProfile; maxcompute: MaxComputeClient; logService: LogServiceClient; dataworks: DataWorksClient};

/** One code path: the profile decides whether these reach Alibaba Cloud or the local cloud. */
export async function createLogHubClients(options: {profile: string; answers: {maxcomputeProject?: string}; log: Logger}): Promise<LogHubClients> {
	const profile = await profileNamed(options.profile);
	const [maxcompute, logService, dataworks] = await Promise.all([
		maxComputeFor(profile, options.answers.maxcomputeProject ?? '', options.log),
		logServiceFor(profile, options.log),
		dataWorksFor(profile, options.log),
	]);
	return {profile, maxcompute, logService, dataworks};
}
