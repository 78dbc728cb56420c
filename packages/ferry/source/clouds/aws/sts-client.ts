/** AWS STS GetCallerIdentity: who the profile's AWS keys are (the root, an IAM user, or a role's session). */
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts';
import {createSdkCaller, sdkClientConfig, type AwsClientOptions, type CallOptions} from './sdk-call.js';

export type AwsCaller = {account: string; arn: string; userId: string};

export type AwsStsClient = {getCallerIdentity(options?: CallOptions): Promise<AwsCaller>};

export function createAwsStsClient(options: AwsClientOptions): AwsStsClient {
	const client = new STSClient(sdkClientConfig(options, `https://sts.${options.region}.amazonaws.com`));
	const call = createSdkCaller('STS', options);
	return {
		async getCallerIdentity(callOptions) {
			const output = await call('GetCallerIdentity', async signal => client.send(new GetCallerIdentityCommand({}), {abortSignal: signal}), callOptions);
			return {account: output.Account ?? '', arn: output.Arn ?? '', userId: output.UserId ?? ''};
		},
	};
}

/** What an STS caller ARN names: `arn:aws:iam::1:root`, `…:user/path/name`, `arn:aws:sts::1:assumed-role/name/session`. */
export function callerEntity(arn: string): {kind: 'root'} | {kind: 'user'; name: string; arn: string} | {kind: 'role'; name: string} | {kind: 'other'} {
	if (/^arn:aws[\w-]*:iam::\d+:root$/.test(arn)) {
		return {kind: 'root'};
	}

	const user = /^arn:aws[\w-]*:iam::\d+:user\/(?:.*\/)?([^/]+)$/.exec(arn);
	if (user) {
		return {kind: 'user', name: user[1]!, arn};
	}

	const role = /^arn:aws[\w-]*:sts::\d+:assumed-role\/([^/]+)\/.+$/.exec(arn);
	return role ? {kind: 'role', name: role[1]!} : {kind: 'other'};
}
