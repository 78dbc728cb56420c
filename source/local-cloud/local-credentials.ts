import {randomBytes} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {registerSecret} from '../log/redact.js';
import {writeFileAtomic} from '../store/atomic-write.js';
import {ferryPaths} from '../store/paths.js';
import type {LocalCloudCredentials} from './contract.js';

const upperAlphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
	const bytes = randomBytes(length);
	return [...bytes].map(byte => alphabet[byte % alphabet.length]).join('');
}

export function localCredentialsFile(): string {
	return path.join(ferryPaths().localCloud, 'credentials.json');
}

/**
 * The local cloud's keys: random per FERRY_HOME, made at first use, kept in a 0600 file.
 * They look like real keys (AKIA…, LTAI…) so the same validation and redaction paths run as in production.
 */
export function loadLocalCredentials(): LocalCloudCredentials {
	const file = localCredentialsFile();
	let credentials: LocalCloudCredentials;
	if (existsSync(file)) {
		credentials = JSON.parse(readFileSync(file, 'utf8')) as LocalCloudCredentials;
	} else {
		credentials = {
			aws: {accessKeyId: `AKIA${randomString(upperAlphanumeric, 16)}`, secretAccessKey: randomString(alphanumeric, 40)},
			alibaba: {accessKeyId: `LTAI${randomString(alphanumeric, 20)}`, accessKeySecret: randomString(alphanumeric, 30)},
		};
		writeFileAtomic(file, `${JSON.stringify(credentials, undefined, '\t')}\n`, 0o600);
	}

	registerSecret(credentials.aws.secretAccessKey);
	registerSecret(credentials.alibaba.accessKeySecret);
	return credentials;
}
