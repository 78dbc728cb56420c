/**
 * What every local-cloud stand-in agrees on: service names, credentials and the handle a started server returns.
 * The stand-ins run on 127.0.0.1 and speak the real wire protocols; only endpoints and keys differ from production.
 */
export {localRegion} from 'ferry/local/files';
export const localAwsAccountId = '000000000000';
export const localAlibabaAccountId = '1000000000000000';
export const localMaxComputeProject = 'ferry_local';
/** The local DataWorks workspace: standard mode (submit, then deploy), one workflow folder and one DI resource group. */
export const localDataWorksWorkspace = {id: 10_001, name: 'ferry_local', mode: 'standard' as const, folders: ['Workflow/ferry/Data Integration'], resourceGroups: ['ferry_di_group']};
/** The IAM role Redshift UNLOAD uses on the local cloud. */
export const localUnloadRoleName = 'ferry-local-unload';
export const localUnloadRoleArn = `arn:aws:iam::${localAwsAccountId}:role/${localUnloadRoleName}`;
/** Where the local profile's UNLOAD writes by default (the published s3Bucket and the procedure's prefix); the seeded role may write only there. */
export const localUnloadBucket = 'ferry-unload';
export const localUnloadPrefix = 'unload_from_redshift/';
/** The RAM role MaxCompute LOAD assumes on the local cloud (the one MaxCompute's one-click authorisation creates). */
export const localRamRoleName = 'AliyunODPSDefaultRole';
export const localRamRoleArn = `acs:ram::${localAlibabaAccountId}:role/${localRamRoleName.toLowerCase()}`;
/** The RAM role Data Online Migration assumes to write OSS on the local cloud (the service asks for a lower-case name). */
export const localMigrationRoleName = 'ferry-local-migration';
/** The OSS bucket the local profile lands data in; the seeded roles may use it. */
export const localLandingBucket = 'ferry-landing';

export type {AwsKeys, AlibabaKeys, IdentitiesSeed, LocalCloudCredentials} from 'ferry/local/files';
import type {IdentitiesSeed, LocalCloudCredentials} from 'ferry/local/files';

export type StandInHandle = {
	/** The service's name, as in `source/services/`. */
	name: string;
	/** Base URL, e.g. http://127.0.0.1:41234 (OSS: http://oss-ap-southeast-1.localhost:41235). */
	url: string;
	port: number;
	/** Other doors of the same stand-in (e.g. a wire protocol beside its HTTP API): port by door name. */
	doorPorts?: Record<string, number>;
	close(): Promise<void>;
	/** Makes requests fail (or stall) the way `fault` says, with the service's own error shape for a status. */
	injectFault(fault: FaultInjection): void;
	/**
	 * What this stand-in lets the stand-ins that need it use in-process, e.g. the IAM stand-in's account (its
	 * identities) or the Redshift stand-in's cluster. Each consumer checks the type (`accountOf`, `clusterOf`).
	 */
	shared?: unknown;
};

/**
 * A fault a stand-in applies to requests before anything else (see faults.ts): an error status in the service's
 * own shape, a dropped connection (`reset`) or a delay (`delayMs`, then the request proceeds). It hits the next
 * `count` requests (default 1; a delay without count or rate: every request) or a `rate` share of all of them.
 */
export type FaultInjection = {status?: number; code?: string; reset?: boolean; delayMs?: number; count?: number; rate?: number};

export type StandInContext = {
	/** The stand-in's own data folder, kept across restarts and cleared by `local-cloud reset`. */
	dataDir: string;
	region: string;
	credentials: LocalCloudCredentials;
	/** The port chosen at the first start, so endpoints stay the same. */
	port?: number;
	/** Ports of the stand-in's other doors, by door name, from the first start. */
	doorPorts: Record<string, number>;
	scaleFactor: number;
	/** Stand-ins started before this one (those named in `needs`), by service name. */
	running: Record<string, StandInHandle>;
	/**
	 * What a fresh data folder is seeded with (`local-cloud start --identities`): every role, policy and association
	 * the procedures need (`configured`), or none of them, to rehearse a first-time setup (`missing`). Kept data keeps
	 * what it was seeded with.
	 */
	identities: IdentitiesSeed;
};

/** How the local cloud runs one service's stand-in. */
export type StandInDescriptor = {
	/** Services whose stand-ins must run first because this one talks to them. */
	needs?: readonly string[];
	/** Names of its other doors, whose ports `local-cloud start --ports` may set. */
	doors?: readonly string[];
	start(context: StandInContext): Promise<StandInHandle>;
};
