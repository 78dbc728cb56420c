/**
 * The AWS STS stand-in (query protocol, Version 2011-06-15, SigV4 service `sts`): GetCallerIdentity for the
 * account's root, IAM users and role sessions, and AssumeRole, which checks the role's trust policy (and, when the
 * trust names only the account, the caller's own policies) and issues temporary credentials that the other AWS
 * stand-ins accept with their session token (x-amz-security-token) and authorize by the role's policies.
 */
import type {StandInHandle} from '../contract.js';
import type {AwsAccount} from '../iam/account.js';
import {constraintError, required, serveQueryService} from '../query-protocol.js';
import {StandInError} from '../stand-in-kit.js';

export const stsNamespace = 'https://sts.amazonaws.com/doc/2011-06-15/';

export type StsStandInOptions = {account: AwsAccount; region: string; port?: number};

/** The local endpoint stands for the regional one (signed for its region) and the global one (signed for us-east-1). */
export async function startStsStandIn(options: StsStandInOptions): Promise<StandInHandle> {
	const {account} = options;
	return serveQueryService({
		name: 'aws-sts',
		service: 'sts',
		regions: [...new Set([options.region, 'us-east-1'])],
		version: '2011-06-15',
		namespace: stsNamespace,
		account,
		...(options.port ? {port: options.port} : {}),
		operations: {
			GetCallerIdentity(_parameters, caller) {
				return {UserId: caller.userId, Account: caller.account, Arn: caller.arn};
			},

			AssumeRole(parameters, caller) {
				const roleArn = required(parameters, 'RoleArn', 'roleArn');
				if (roleArn.length < 20 || roleArn.length > 2048) {
					throw constraintError('roleArn', roleArn, `Member must have length ${roleArn.length < 20 ? 'greater than or equal to 20' : 'less than or equal to 2048'}`);
				}

				const sessionName = required(parameters, 'RoleSessionName', 'roleSessionName');
				if (sessionName.length < 2 || sessionName.length > 64) {
					throw constraintError('roleSessionName', sessionName, `Member must have length ${sessionName.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 64'}`);
				}

				if (!/^[\w+=,.@-]*$/.test(sessionName)) {
					throw constraintError('roleSessionName', sessionName, String.raw`Member must satisfy regular expression pattern: [\w+=,.@-]*`);
				}

				const durationText = parameters.get('DurationSeconds');
				const duration = durationText === undefined ? undefined : Number(durationText);
				if (duration !== undefined && (!Number.isInteger(duration) || duration < 900 || duration > 43_200)) {
					throw constraintError('durationSeconds', durationText!, duration < 900 ? 'Member must have value greater than or equal to 900' : 'Member must have value less than or equal to 43200');
				}

				const assumed = account.assumeRole({caller}, {roleArn, sessionName, ...(duration === undefined ? {} : {durationSeconds: duration})});
				if ('reason' in assumed) {
					throw assumed.reason === 'duration'
						? new StandInError(400, 'ValidationError', assumed.message)
						: new StandInError(403, 'AccessDenied', assumed.message);
				}

				return {
					Credentials: {
						AccessKeyId: assumed.session.accessKeyId,
						SecretAccessKey: assumed.session.secret,
						SessionToken: assumed.session.token,
						Expiration: `${new Date(assumed.session.expiresAt).toISOString().slice(0, 19)}Z`,
					},
					AssumedRoleUser: {AssumedRoleId: assumed.caller.userId, Arn: assumed.caller.arn},
				};
			},
		},
	});
}
