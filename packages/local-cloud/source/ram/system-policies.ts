/**
 * The system policies the local RAM account has, as RAM lists them (PolicyType System, version v1). Read offline in
 * the vendor's pages: AliyunOSSReadOnlyAccess (RAM "System policy reference", help.aliyun.com/zh/ram/developer-reference/
 * aliyunossreadonlyaccess) and AliyunODPSRolePolicy (MaxCompute "STS authorization", doc-detail/72777). The others are
 * the one-statement form every *FullAccess / *ReadOnlyAccess policy of the reference has (`<ram code>:*`,
 * `Get*`/`List*`), not read page by page (verify), AliyunMGWFullAccess's `mgw:*` included.
 * Descriptions follow the English ones of those pages ("Provides full access to … via Management Console."); the
 * creation date is AliyunOSSReadOnlyAccess's (2015-04-28 16:15:45) for all: the others' were not read.
 */
export type SystemPolicy = {name: string; description: string; document: string};

export const systemPolicyCreateDate = '2015-04-28T08:15:45Z';

const document = (statement: Record<string, unknown>) => JSON.stringify({Version: '1', Statement: [statement]}, undefined, 2);

export const systemPolicies: readonly SystemPolicy[] = [
	{name: 'AdministratorAccess', description: 'Provides full access to Alibaba Cloud services and resources.', document: document({Action: '*', Effect: 'Allow', Resource: '*'})},
	{name: 'AliyunOSSFullAccess', description: 'Provides full access to Object Storage Service(OSS) via Management Console.', document: document({Action: 'oss:*', Effect: 'Allow', Resource: '*'})},
	{name: 'AliyunOSSReadOnlyAccess', description: 'Provides read-only access to Object Storage Service(OSS) via Management Console.', document: document({Action: ['oss:Get*', 'oss:List*'], Effect: 'Allow', Resource: '*'})},
	{name: 'AliyunMGWFullAccess', description: 'Provides full access to Data Online Migration(MGW) via Management Console.', document: document({Action: 'mgw:*', Effect: 'Allow', Resource: '*'})},
	{
		name: 'AliyunODPSRolePolicy',
		description: 'Default policy for MaxCompute service role.',
		document: document({Action: ['oss:ListBuckets', 'oss:GetObject', 'oss:ListObjects', 'oss:PutObject', 'oss:DeleteObject', 'oss:AbortMultipartUpload', 'oss:ListParts'], Resource: '*', Effect: 'Allow'}),
	},
	{name: 'AliyunRAMFullAccess', description: 'Provides full access to Resource Access Management(RAM) via Management Console.', document: document({Action: 'ram:*', Effect: 'Allow', Resource: '*'})},
	{name: 'AliyunRAMReadOnlyAccess', description: 'Provides read-only access to Resource Access Management(RAM) via Management Console.', document: document({Action: ['ram:Get*', 'ram:List*'], Effect: 'Allow', Resource: '*'})},
	{name: 'AliyunSTSAssumeRoleAccess', description: 'Provides access to call the AssumeRole operation of Security Token Service(STS).', document: document({Action: 'sts:AssumeRole', Effect: 'Allow', Resource: '*'})},
];

export function systemPolicyNamed(name: string): SystemPolicy | undefined {
	return systemPolicies.find(policy => policy.name === name);
}
