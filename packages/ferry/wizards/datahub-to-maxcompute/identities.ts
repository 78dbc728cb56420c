/**
 * The DataConnector's account: the procedure gives it CreateInstance on the project and Describe, Alter and Update on
 * the table. It is the profile's own (the keys ferry uses), or another account whose AccessKey the run is given
 * (`connectorAccessKeyId`), in which case ferry, as the project's owner or admin, reads its grants (`SHOW GRANTS
 * FOR`) and can grant what is missing; its own account it cannot grant anything, so then the statement for the owner
 * is the fix.
 */
import {alibabaStsFor, checkMaxComputeGrants, newFinding, resolveAlibabaCredentials, type AlibabaCredentialsProvider, type Answers, type IdentityFinding, type Logger, type MaxComputeClient, type ResolvedProfile, type StepContext} from '../../source/kit.js';
import type {DataHubClients} from './clients.js';
import {deniedPermission} from './permissions.js';

export const connectorProjectPrivileges = ['CreateInstance'] as const;
export const connectorTablePrivileges = ['Describe', 'Alter', 'Update'] as const;

export type ConnectorAccount = {
	/** As MaxCompute names it: `ALIYUN$<uid>` or `RAM$<uid>:<user name>`. */
	name: string;
	aliases: string[];
	/** The profile's own keys (ferry checks itself and cannot grant itself). */
	self: boolean;
	/** The keys the DataConnector gets. */
	keys: AlibabaCredentialsProvider;
};

/** The connector's keys: the answered AccessKey with its secret, else the profile's. */
export function connectorKeys(profile: ResolvedProfile, answers: Answers, accessKeySecret: string | undefined): {keys: AlibabaCredentialsProvider; self: boolean} {
	const accessKeyId = String(answers['connectorAccessKeyId'] ?? '');
	if (!accessKeyId) {
		return {keys: profile.alibaba.credentials, self: true};
	}

	return {keys: resolveAlibabaCredentials({kind: 'keys', accessKeyId, accessKeySecret: accessKeySecret ?? ''}), self: false};
}

/** Who the connector's keys are (Alibaba Cloud STS GetCallerIdentity), as MaxCompute's ACL names them. */
export async function connectorAccount(profile: ResolvedProfile, answers: Answers, accessKeySecret: string | undefined, log: Logger, signal: AbortSignal): Promise<ConnectorAccount> {
	const {keys, self} = connectorKeys(profile, answers, accessKeySecret);
	const caller = await (await alibabaStsFor(profile, log, keys)).getCallerIdentity({signal});
	const user = /^acs:ram::(\d+):user\/(.+)$/.exec(caller.arn);
	if (user) {
		return {name: `RAM$${user[1]!}:${user[2]!}`, aliases: [`RAM$${user[1]!}:${caller.userId}`, `RAM$${user[2]!}`], self, keys};
	}

	return {name: `ALIYUN$${caller.accountId}`, aliases: [], self, keys};
}

/** The connector account's grants on the project and the table (a table this run creates: the grants it will need). */
export async function checkConnectorGrants(account: ConnectorAccount, maxcompute: MaxComputeClient, table: string, tableIsNew: boolean, signal: AbortSignal): Promise<IdentityFinding> {
	try {
		return await checkMaxComputeGrants({
			id: 'connector-grants',
			purpose: 'the DataConnector writes the table',
			account: account.name,
			aliases: account.aliases,
			project: maxcompute.project,
			projectPrivileges: connectorProjectPrivileges,
			table,
			// A table ferry creates with the connector's own keys is the connector's: its creator holds every privilege.
			tablePrivileges: account.self && tableIsNew ? [] : connectorTablePrivileges,
			tableIsNew,
			self: account.self,
		}, maxcompute, signal);
	} catch (error) {
		if (!deniedPermission(error)) {
			throw error;
		}

		const finding = newFinding('connector-grants', `MaxCompute account ${account.name} (the DataConnector writes the table)`);
		finding.notes.push(`the project's ACL cannot be read with the profile's keys (${(error as Error).message.split('\n')[0]!.slice(0, 160)}): its grants are not checked`);
		return finding;
	}
}

/** The connector account's grants read again after the identities step, on the table that now exists. */
export async function recheckConnectorGrants(context: StepContext<DataHubClients>): Promise<IdentityFinding[]> {
	const account = await connectorAccount(context.clients.profile, context.answers, context.secret('connectorAccessKeySecret'), context.log, context.signal);
	return [await checkConnectorGrants(account, context.clients.maxcompute, String(context.answers['maxcomputeTable']), false, context.signal)];
}
