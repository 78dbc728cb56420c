/**
 * Waiting for a DataWorks deployment (SubmitFile, DeployFile) to finish.
 *
 * Rerun: safe; it only reads. A deployment DataWorks could not finish is a step failure with its reason.
 */
import type {DataWorksClient} from '../clouds/dataworks/client.js';
import {StepError} from '../engine/errors.js';
import {pollUntil} from '../engine/poll.js';

export async function waitForDeployment(dataworks: DataWorksClient, deployment: {
	projectId: number;
	deploymentId: number;
	/** What the deployment does, for messages: "submitted", "deployed". */
	what: string;
	signal: AbortSignal;
	/** @default 10 minutes */
	timeoutMs?: number;
}): Promise<void> {
	const {deploymentId, what} = deployment;
	const state = await pollUntil({
		read: async () => dataworks.getDeployment({projectId: deployment.projectId, deploymentId}, {signal: deployment.signal}),
		done: current => current.status !== 'ready' && current.status !== 'unknown',
		signal: deployment.signal,
		timeoutMs: deployment.timeoutMs ?? 10 * 60_000,
		what: `deployment ${deploymentId} (${what})`,
	});
	if (state.status === 'failed') {
		throw new StepError(`DataWorks could not finish deployment ${deploymentId} (${what}): ${state.errorMessage ?? 'no reason given'}`, {hint: 'Open the task in DataWorks to see why, then `ferry resume`.'});
	}
}
