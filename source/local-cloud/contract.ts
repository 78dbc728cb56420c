/**
 * What every local-cloud stand-in agrees on: service names, credentials and the handle a started server returns.
 * The stand-ins run on 127.0.0.1 and speak the real wire protocols; only endpoints and keys differ from production.
 */
export const localServiceNames = ['redshift', 's3', 'oss', 'online-migration', 'maxcompute'] as const;
export type LocalServiceName = (typeof localServiceNames)[number];

/** Region used by every local service; the procedure's own example region (Singapore). */
export const localRegion = 'ap-southeast-1';
export const localAwsAccountId = '000000000000';
export const localAlibabaAccountId = '1000000000000000';
export const localMaxComputeProject = 'ferry_local';
/** The IAM role Redshift UNLOAD uses on the local cloud. */
export const localUnloadRoleArn = `arn:aws:iam::${localAwsAccountId}:role/ferry-local-unload`;
/** The RAM role MaxCompute LOAD and Data Online Migration use on the local cloud. */
export const localRamRoleName = 'AliyunODPSDefaultRole';
export const localRamRoleArn = `acs:ram::${localAlibabaAccountId}:role/${localRamRoleName.toLowerCase()}`;

export type AwsKeys = {accessKeyId: string; secretAccessKey: string; sessionToken?: string};
export type AlibabaKeys = {accessKeyId: string; accessKeySecret: string; securityToken?: string};

/** Generated at the first start of a FERRY_HOME and kept in a 0600 file; never written to sessions or logs. */
export type LocalCloudCredentials = {
	aws: AwsKeys;
	alibaba: AlibabaKeys;
};

export type StandInHandle = {
	name: LocalServiceName;
	/** Base URL, e.g. http://127.0.0.1:41234 (OSS: http://oss-ap-southeast-1.localhost:41235). */
	url: string;
	port: number;
	close(): Promise<void>;
	/** Makes the next `count` requests fail with the service's own error shape for `status`/`code` (tests only). */
	injectFault(fault: FaultInjection): void;
};

/** Lets one stand-in inject faults for tests: the next N requests answer with this status. */
export type FaultInjection = {status: number; code: string; count: number};
