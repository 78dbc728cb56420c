/**
 * Bucket names and key prefixes of S3 and OSS.
 *
 * Sources:
 * - S3 "General purpose bucket naming rules" (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
 *   3–63 characters of lower-case letters, digits, dots and hyphens; a letter or digit first and last; no two
 *   adjacent dots; not formatted as an IP address; not starting with xn--, sthree- or amzn-s3-demo-; not ending with
 *   -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3. An object key is at most 1,024 bytes of UTF-8.
 * - OSS "Bucket naming conventions" and "Object naming conventions": 3–63 characters of lower-case letters, digits and
 *   hyphens, a letter or digit first and last; an object name is 1–1,023 bytes of UTF-8 and does not start with / or \.
 */
import {nameLength, nameRule, type NameRule} from '../name-rule.js';

const edge = {test: /^[a-z\d]$/, describe: 'a lower-case letter or a digit'};
const s3ReservedPrefixes = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const s3ReservedSuffixes = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export const s3BucketName: NameRule = nameRule({
	what: 'S3 bucket name',
	length: {min: 3, max: 63, unit: 'characters'},
	first: edge,
	last: edge,
	allowed: {test: /^[a-z\d.-]$/, describe: 'lower-case letters, digits, dots and hyphens'},
	also(name) {
		if (name.includes('..')) {
			return 'S3 bucket names have no two adjacent dots';
		}

		if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
			return 'S3 bucket names are not formatted as an IP address';
		}

		const prefix = s3ReservedPrefixes.find(reserved => name.startsWith(reserved));
		const suffix = s3ReservedSuffixes.find(reserved => name.endsWith(reserved));
		return prefix ? `S3 bucket names do not start with ${prefix} (reserved by S3)` : suffix ? `S3 bucket names do not end with ${suffix} (reserved by S3)` : undefined;
	},
});

export const ossBucketName: NameRule = nameRule({
	what: 'OSS bucket name',
	length: {min: 3, max: 63, unit: 'characters'},
	first: edge,
	last: edge,
	allowed: {test: /^[a-z\d-]$/, describe: 'lower-case letters, digits and hyphens'},
});

export const objectKeyLimitBytes = {s3: 1024, oss: 1023} as const;

/** A prefix keys are written under: not starting with / (or \ on OSS), and shorter than a key may be. */
export function keyPrefixProblem(value: unknown, store: 's3' | 'oss'): string | undefined {
	const prefix = String(value);
	if (prefix.startsWith('/') || (store === 'oss' && prefix.startsWith('\\'))) {
		return `A prefix does not start with "${prefix[0]!}": ${store === 'oss' ? 'OSS object names cannot' : 'the key would begin with an empty folder'}`;
	}

	const limit = objectKeyLimitBytes[store];
	const bytes = nameLength(prefix, 'bytes');
	return bytes >= limit ? `${store === 'oss' ? 'OSS object names' : 'S3 keys'} are at most ${limit.toLocaleString('en-US')} bytes, and this prefix alone is ${bytes.toLocaleString('en-US')}` : undefined;
}
