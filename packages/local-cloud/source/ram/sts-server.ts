/**
 * The local Alibaba Cloud STS stand-in (RPC, Version 2015-04-01, sts.<region>.aliyuncs.com): GetCallerIdentity and
 * AssumeRole on the local RAM account. AssumeRole checks the caller (a RAM user or a role session; the account itself
 * may not assume roles), its `sts:AssumeRole` permission on the role, and the role's trust policy, and issues
 * `STS.`-prefixed keys with a SecurityToken that the other Alibaba Cloud stand-ins accept and authorise by the role's
 * policies. Parameters and errors are the AssumeRole page's (AlibabaCloudDocs/ram, "AssumeRole"; SDK model
 * @alicloud/sts20150401 1.2.0).
 */
import type {StandInHandle} from '../contract.js';
import {startRpcApi, type RpcParams} from '../alibaba-rpc/rpc-api.js';
import {StandInError} from '../stand-in-kit.js';
import {checkDocument, type RamAccount} from './account.js';
import {gatewayKey, IdentityError} from '../identity/alibaba.js';

export const stsApiVersion = '2015-04-01';

export type StsStandInOptions = {account: RamAccount; port?: number};

function optional(params: RpcParams, name: string): string | undefined {
	const value = params[name];
	return value === undefined || value === '' ? undefined : value;
}

function required(params: RpcParams, name: string): string {
	const value = optional(params, name);
	if (value === undefined) {
		throw new StandInError(400, `Missing${name}`, `${name} is mandatory for this action.`);
	}

	return value;
}

const wrongSessionName = () => new StandInError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');

export async function startAlibabaStsStandIn(options: StsStandInOptions): Promise<StandInHandle> {
	const {account} = options;
	const rethrow = (error: unknown): never => {
		throw error instanceof IdentityError ? new StandInError(error.status, error.code, error.message) : error;
	};

	return startRpcApi({
		name: 'alibaba-sts',
		product: 'Sts',
		serviceTitle: 'the local STS',
		version: stsApiVersion,
		keyOf: accessKeyId => gatewayKey(account, accessKeyId),
		...(options.port ? {port: options.port} : {}),
		actions: {
			GetCallerIdentity(_params, caller) {
				const {principal} = account.keyOf(caller.accessKeyId)!;
				const base = {AccountId: principal.accountId, Arn: principal.arn};
				switch (principal.kind) {
					case 'account': {
						return {...base, IdentityType: 'Account', PrincipalId: principal.accountId, UserId: principal.accountId};
					}

					case 'user': {
						return {...base, IdentityType: 'RAMUser', PrincipalId: principal.userId, UserId: principal.userId};
					}

					default: {
						return {...base, IdentityType: 'AssumedRoleUser', PrincipalId: `${principal.roleId}:${principal.sessionName}`, RoleId: principal.roleId};
					}
				}
			},
			AssumeRole(params, caller) {
				const roleArn = required(params, 'RoleArn');
				const sessionName = required(params, 'RoleSessionName');
				// 2 to 64 letters, digits, periods, at signs, hyphens and underscores.
				if (!/^[\w.@-]{2,64}$/.test(sessionName)) {
					throw wrongSessionName();
				}

				const durationText = optional(params, 'DurationSeconds');
				const durationSeconds = durationText === undefined ? undefined : Number(durationText);
				if (durationSeconds !== undefined && !Number.isInteger(durationSeconds)) {
					throw new StandInError(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.');
				}

				const policy = optional(params, 'Policy');
				if (policy !== undefined) {
					if (Buffer.byteLength(policy) > 1024) {
						throw new StandInError(400, 'InvalidParameter.PolicySize', 'The size of Policy must be smaller than 1024 bytes.');
					}

					try {
						checkDocument(policy, 'identity');
					} catch {
						throw new StandInError(400, 'InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.');
					}
				}

				try {
					const assumed = account.assumeRole(account.keyOf(caller.accessKeyId)!.principal, {roleArn, sessionName, ...(durationSeconds === undefined ? {} : {durationSeconds}), ...(policy === undefined ? {} : {policy})});
					return {
						Credentials: {
							AccessKeyId: assumed.credentials.accessKeyId,
							AccessKeySecret: assumed.credentials.accessKeySecret,
							SecurityToken: assumed.credentials.securityToken,
							Expiration: assumed.credentials.expiration,
						},
						AssumedRoleUser: {Arn: assumed.assumedRoleUser.arn, AssumedRoleId: assumed.assumedRoleUser.assumedRoleId},
					};
				} catch (error) {
					return rethrow(error);
				}
			},
		},
	});
}
