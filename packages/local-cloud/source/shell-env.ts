/**
 * What `ferry local-cloud env` prints: the variables that point awscli, rclone, psql and the vendors' SDKs at the
 * running local cloud, and the shell syntax to set them.
 */
import type {LocalCloudCredentials} from './contract.js';
import {localMaxComputeProject, localRegion} from './contract.js';

export type EnvironmentShell = 'sh' | 'fish' | 'json';
export const environmentShells: readonly EnvironmentShell[] = ['sh', 'fish', 'json'];

export type LocalCloudEnvironment = {
	/** Variables to set, in print order. */
	set: Array<[name: string, value: string]>;
	/** Variables to clear because they would make a client prefer other credentials. */
	unset: string[];
	/** Comment lines (without the comment marker). */
	notes: string[];
};

export type EnvironmentInput = {
	/** Endpoint URL by service name, from the state file. */
	services: Record<string, string>;
	/** Port by door name, from the state file. */
	doorPorts: Record<string, number>;
	/** The daemon's *.localhost forward proxy, when it runs one. */
	localhostProxy?: string;
	credentials: LocalCloudCredentials;
	/** Where ferry wrote the local cloud's own AWS config and credentials files (see `awsProfileFiles`). */
	awsFiles?: {config: string; credentials: string};
};

/** The awscli/boto3 profile for OSS: the Alibaba keys and virtual-hosted addressing, which OSS requires. */
export const ossAwsProfile = 'ferry-local-oss';

/** The Redshift settings ferry's local profile uses (source/services/redshift.ts). */
const localCluster = 'ferry-local';
const localDbUser = 'awsuser';
const localDatabase = 'dev';

/** FERRY_LOCAL_<NAME>_ENDPOINT: the service name upper-cased; Log Service is LOG, as in its SDKs' LOG_ENDPOINT. */
export function endpointVariable(service: string): string {
	const name = service === 'log-service' ? 'log' : service;
	return `FERRY_LOCAL_${name.toUpperCase().replaceAll(/[^A-Z\d]+/g, '_')}_ENDPOINT`;
}

/** Without a scheme, as rclone's and the OSS SDKs' `endpoint` settings take it. */
function hostAndPort(url: string): string {
	return new URL(url).host;
}

export function localCloudEnvironment(input: EnvironmentInput): LocalCloudEnvironment {
	const {services, doorPorts, credentials} = input;
	const set: Array<[string, string]> = [
		['AWS_ACCESS_KEY_ID', credentials.aws.accessKeyId],
		['AWS_SECRET_ACCESS_KEY', credentials.aws.secretAccessKey],
		['AWS_REGION', localRegion],
		['AWS_DEFAULT_REGION', localRegion],
	];
	if (input.awsFiles) {
		set.push(['AWS_CONFIG_FILE', input.awsFiles.config], ['AWS_SHARED_CREDENTIALS_FILE', input.awsFiles.credentials]);
	}

	if (services['s3']) {
		set.push(['AWS_ENDPOINT_URL_S3', services['s3']]);
	}

	if (services['redshift']) {
		set.push(['AWS_ENDPOINT_URL_REDSHIFT_DATA', services['redshift']]);
	}

	// awscli's per-service endpoints (AWS_ENDPOINT_URL_<SERVICE ID>): the management API is `redshift`, STS `sts`.
	for (const [service, variable] of [['redshift-management', 'AWS_ENDPOINT_URL_REDSHIFT'], ['iam', 'AWS_ENDPOINT_URL_IAM'], ['aws-sts', 'AWS_ENDPOINT_URL_STS']] as const) {
		if (services[service]) {
			set.push([variable, services[service]]);
		}
	}

	// Newer botocore streams uploads aws-chunked with a CRC trailer, which OSS refuses; OSS's guide for S3 clients
	// turns it off the same way.
	set.push(
		['AWS_REQUEST_CHECKSUM_CALCULATION', 'when_required'],
		['AWS_RESPONSE_CHECKSUM_VALIDATION', 'when_required'],
		['ALIBABA_CLOUD_ACCESS_KEY_ID', credentials.alibaba.accessKeyId],
		['ALIBABA_CLOUD_ACCESS_KEY_SECRET', credentials.alibaba.accessKeySecret],
		['ALIBABA_CLOUD_REGION_ID', localRegion],
		['FERRY_LOCAL_REGION', localRegion],
	);
	for (const [service, url] of Object.entries(services).sort(([a], [b]) => a.localeCompare(b))) {
		set.push([endpointVariable(service), url]);
	}

	if (services['maxcompute']) {
		set.push(['FERRY_LOCAL_MAXCOMPUTE_PROJECT', localMaxComputeProject]);
	}

	if (services['redshift']) {
		set.push(['FERRY_LOCAL_REDSHIFT_CLUSTER', localCluster], ['FERRY_LOCAL_REDSHIFT_DB_USER', localDbUser]);
	}

	const pgPort = doorPorts['redshift-pg'];
	if (pgPort) {
		// The wire checks the password as Redshift does; the local cloud's is its AWS secret key.
		set.push(['PGHOST', '127.0.0.1'], ['PGPORT', String(pgPort)], ['PGUSER', localDbUser], ['PGPASSWORD', credentials.aws.secretAccessKey], ['PGDATABASE', localDatabase], ['PGSSLMODE', 'disable']);
	}

	// rclone remotes `locals3:` and `localoss:`, defined by environment alone (rclone's RCLONE_CONFIG_<REMOTE>_<OPTION>).
	if (services['s3']) {
		set.push(
			['RCLONE_CONFIG_LOCALS3_TYPE', 's3'],
			// rclone 1.60 with provider AWS ignores force_path_style for an IP endpoint; an S3-compatible endpoint is what this is.
			['RCLONE_CONFIG_LOCALS3_PROVIDER', 'Other'],
			['RCLONE_CONFIG_LOCALS3_ENDPOINT', services['s3']],
			['RCLONE_CONFIG_LOCALS3_REGION', localRegion],
			['RCLONE_CONFIG_LOCALS3_FORCE_PATH_STYLE', 'true'],
			['RCLONE_CONFIG_LOCALS3_ACCESS_KEY_ID', credentials.aws.accessKeyId],
			['RCLONE_CONFIG_LOCALS3_SECRET_ACCESS_KEY', credentials.aws.secretAccessKey],
		);
	}

	if (services['oss']) {
		set.push(
			['RCLONE_CONFIG_LOCALOSS_TYPE', 's3'],
			['RCLONE_CONFIG_LOCALOSS_PROVIDER', 'Alibaba'],
			['RCLONE_CONFIG_LOCALOSS_ENDPOINT', services['oss']],
			['RCLONE_CONFIG_LOCALOSS_REGION', localRegion],
			['RCLONE_CONFIG_LOCALOSS_FORCE_PATH_STYLE', 'false'],
			['RCLONE_CONFIG_LOCALOSS_ACCESS_KEY_ID', credentials.alibaba.accessKeyId],
			['RCLONE_CONFIG_LOCALOSS_SECRET_ACCESS_KEY', credentials.alibaba.accessKeySecret],
			['FERRY_LOCAL_OSS_HOST', hostAndPort(services['oss'])],
		);
	}

	const notes = [
		'ferry local cloud: endpoints and keys for your own tools.',
		'The keys are the local cloud\'s throwaway keys, generated for this FERRY_HOME; they open nothing else.',
	];
	if (input.localhostProxy) {
		// NO_PROXY must not name `localhost`: Python, Go and curl read it as "localhost and every subdomain", which
		// would send bucket.oss-….localhost past the proxy again. No HTTPS_PROXY: every stand-in speaks plain HTTP,
		// and the user's HTTPS traffic must not be refused by a proxy that only reaches 127.0.0.1.
		set.push(
			['FERRY_LOCAL_PROXY', input.localhostProxy],
			['HTTP_PROXY', input.localhostProxy],
			['http_proxy', input.localhostProxy],
			['NO_PROXY', '127.0.0.1,::1'],
			['no_proxy', '127.0.0.1,::1'],
		);
		notes.push('HTTP_PROXY sends plain-http *.localhost names (OSS, Log Service) to ferry\'s proxy, which reaches 127.0.0.1 only.');
	} else {
		notes.push('This local cloud runs no *.localhost proxy (started by an older ferry): `ferry local-cloud stop && ferry local-cloud start`.');
	}

	if (services['iam']) {
		notes.push('IAM is global and signed for us-east-1, as on AWS: aws iam … --region us-east-1.');
	}

	if (input.awsFiles) {
		notes.push(`AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are the local cloud's own: your real AWS profiles are out of reach here. OSS: aws --profile ${ossAwsProfile} --endpoint-url "$FERRY_LOCAL_OSS_ENDPOINT" s3 ls`);
	}

	return {set, unset: ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL'], notes};
}

/**
 * The AWS config and credentials files `local-cloud env` points awscli and the AWS SDKs at: the default profile
 * holds the AWS keys, `ferry-local-oss` the Alibaba keys with virtual-hosted addressing (OSS refuses path-style
 * requests, and botocore picks path style for a custom endpoint unless told).
 */
export function awsProfileFiles(credentials: LocalCloudCredentials): {config: string; credentials: string} {
	const header = '# Written by `ferry local-cloud env` for the local cloud (throwaway keys); rewritten on every call.\n';
	return {
		config: `${header}[default]\nregion = ${localRegion}\n\n[profile ${ossAwsProfile}]\nregion = ${localRegion}\ns3 =\n  addressing_style = virtual\n`,
		credentials: `${header}[default]\naws_access_key_id = ${credentials.aws.accessKeyId}\naws_secret_access_key = ${credentials.aws.secretAccessKey}\n\n[${ossAwsProfile}]\naws_access_key_id = ${credentials.alibaba.accessKeyId}\naws_secret_access_key = ${credentials.alibaba.accessKeySecret}\n`,
	};
}

const variableName = /^[A-Za-z_]\w*$/;

function checkName(name: string): string {
	if (!variableName.test(name)) {
		throw new Error(`Not a variable name: ${JSON.stringify(name)}`);
	}

	return name;
}

/** POSIX single quotes take everything literally except `'`, which closes, is escaped, and reopens. */
export function shQuote(value: string): string {
	return `'${value.replaceAll('\'', String.raw`'\''`)}'`;
}

/** In fish single quotes only `\\` and `\'` are escapes. */
export function fishQuote(value: string): string {
	return `'${value.replaceAll('\\', '\\\\').replaceAll('\'', String.raw`\'`)}'`;
}

export function formatEnvironment(environment: LocalCloudEnvironment, shell: EnvironmentShell): string {
	if (shell === 'json') {
		return `${JSON.stringify({note: environment.notes.join(' '), set: Object.fromEntries(environment.set.map(([name, value]) => [checkName(name), value])), unset: environment.unset}, undefined, 2)}\n`;
	}

	const comments = environment.notes.map(note => `# ${note}\n`).join('');
	const usage = shell === 'fish' ? '# Use: ferry local-cloud env --shell fish | source\n' : '# Use: eval "$(ferry local-cloud env)"\n';
	const unset = shell === 'fish'
		? environment.unset.map(name => `set -e ${checkName(name)}\n`).join('')
		: `unset ${environment.unset.map(name => checkName(name)).join(' ')}\n`;
	const lines = environment.set.map(([name, value]) => shell === 'fish' ? `set -gx ${checkName(name)} ${fishQuote(value)}\n` : `export ${checkName(name)}=${shQuote(value)}\n`);
	return `${comments}${usage}${unset}${lines.join('')}`;
}
