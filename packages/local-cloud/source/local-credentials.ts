import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {localCloudFiles, readLocalCredentials, type LocalCloudCredentials} from 'ferry/local/files';
import {writeFileAtomic} from 'ferry/store/atomic-write';

const upperAlphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
	const bytes = randomBytes(length);
	return [...bytes].map(byte => alphabet[byte % alphabet.length]).join('');
}

/**
 * The local cloud's keys: random per FERRY_HOME, made at first use, kept in a 0600 file.
 * They look like real keys (AKIA…, LTAI…) so the same validation and redaction paths run as in production.
 */
export function loadLocalCredentials(): LocalCloudCredentials {
	const file = localCloudFiles().credentials;
	if (!existsSync(file)) {
		const credentials: LocalCloudCredentials = {
			aws: {accessKeyId: `AKIA${randomString(upperAlphanumeric, 16)}`, secretAccessKey: randomString(alphanumeric, 40)},
			alibaba: {accessKeyId: `LTAI${randomString(alphanumeric, 20)}`, accessKeySecret: randomString(alphanumeric, 30)},
		};
		writeFileAtomic(file, `${JSON.stringify(credentials, undefined, '\t')}\n`, 0o600);
	}

	const credentials = readLocalCredentials();
	if (!credentials) {
		throw new Error(`The local cloud's keys in ${file} cannot be read`);
	}

	return credentials;
}
