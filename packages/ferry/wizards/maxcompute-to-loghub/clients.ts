import type {DataWorksClient} from '../../source/clouds/dataworks/client.js';
import type {LogServiceClient} from '../../source/clouds/log-service/client.js';
import type {MaxComputeClient} from '../../source/clouds/maxcompute/client.js';
import {dataWorksFor, logServiceFor, maxComputeFor, profileNamed, type Answers, type Logger, type ResolvedProfile} from '../../source/kit.js';

export type LogHubClients = {profile: ResolvedProfile; maxcompute: MaxComputeClient; logService: LogServiceClient; dataworks: DataWorksClient};

/** One code path: the profile decides whether these reach Alibaba Cloud or the local cloud. */
export async function createLogHubClients(options: {profile: string; answers: Answers; log: Logger}): Promise<LogHubClients> {
	const profile = await profileNamed(options.profile);
	const [maxcompute, logService, dataworks] = await Promise.all([
		maxComputeFor(profile, String(options.answers['maxcomputeProject'] ?? ''), options.log),
		logServiceFor(profile, options.log),
		dataWorksFor(profile, options.log),
	]);
	return {profile, maxcompute, logService, dataworks};
}
