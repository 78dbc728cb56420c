import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {loadLocalCredentials} from '@ferry/local-cloud/local-credentials';
import {localCloudFiles} from '../../source/local/files.js';
import {redact} from '../../source/log/redact.js';
import {useFerryHome} from '../helpers/ferry-home.js';

test.serial('made at first use in a 0600 file under FERRY_HOME, shaped like real keys', t => {
	const home = useFerryHome(t);
	const credentials = loadLocalCredentials();
	t.is(localCloudFiles().credentials, path.join(home, 'local-cloud', 'credentials.json'));
	t.is(statSync(localCloudFiles().credentials).mode & 0o777, 0o600);
	t.regex(credentials.aws.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
	t.regex(credentials.aws.secretAccessKey, /^[A-Za-z\d]{40}$/);
	t.regex(credentials.alibaba.accessKeyId, /^LTAI[A-Za-z\d]{20}$/);
	t.regex(credentials.alibaba.accessKeySecret, /^[A-Za-z\d]{30}$/);
	t.deepEqual(JSON.parse(readFileSync(localCloudFiles().credentials, 'utf8')), credentials);
});

test.serial('stable within one FERRY_HOME, different in another', t => {
	useFerryHome(t);
	const first = loadLocalCredentials();
	t.deepEqual(loadLocalCredentials(), first);
	useFerryHome(t);
	const other = loadLocalCredentials();
	t.not(other.aws.secretAccessKey, first.aws.secretAccessKey);
	t.not(other.alibaba.accessKeySecret, first.alibaba.accessKeySecret);
});

test.serial('the secrets are registered for redaction', t => {
	useFerryHome(t);
	const {aws, alibaba} = loadLocalCredentials();
	t.is(redact(`${aws.secretAccessKey} / ${alibaba.accessKeySecret}`), '[redacted] / [redacted]');
});
