import test from 'ava';
import {maskSecret, redact, registerSecret, registeredSecrets} from '../../source/log/redact.js';

test('a registered secret is replaced everywhere it appears', t => {
	const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
	registerSecret(secret);
	const text = `first ${secret} then ${secret}, and inside a URL https://x/?sig=${secret}&a=1`;
	const redacted = redact(text);
	t.false(redacted.includes(secret));
	t.is(redacted.split('[redacted]').length - 1, 3);
	t.true(redacted.startsWith('first [redacted] then [redacted], and inside a URL'));
});

test('values too short or missing are not registered (they would redact ordinary words)', t => {
	registerSecret(undefined);
	registerSecret('');
	registerSecret('abc');
	t.false(registeredSecrets().includes('abc'));
	t.is(redact('abc abc'), 'abc abc');
	registerSecret('qz9k');
	t.true(registeredSecrets().includes('qz9k'));
	t.is(redact('x qz9k y'), 'x [redacted] y');
});

test('credential-looking SQL clauses are redacted even when the value was never registered', t => {
	const sql = "UNLOAD ('select 1') TO 's3://b/p/' ACCESS_KEY_ID 'AKIAUNREGISTERED0001' SECRET_ACCESS_KEY 'never-registered-secret-value' SESSION_TOKEN 'tok/en+value=='";
	const redacted = redact(sql);
	t.false(redacted.includes('never-registered-secret-value'));
	t.false(redacted.includes('tok/en+value=='));
	t.false(redacted.includes('AKIAUNREGISTERED0001'));
	t.true(redacted.includes("SECRET_ACCESS_KEY '[redacted]'"));
	t.true(redacted.includes("SESSION_TOKEN '[redacted]'"));
	t.true(redacted.includes("ACCESS_KEY_ID '[redacted]'"));
	t.true(redacted.includes("TO 's3://b/p/'"), 'the rest of the statement stays readable');
});

test('key=value, JSON and query-string spellings of credentials are redacted', t => {
	t.is(redact('aws_secret_access_key = s3cr3tvalue'), 'aws_secret_access_key = [redacted]');
	t.is(redact('{"password":"hunter2hunter2"}'), '{"password":"[redacted]"}');
	t.is(redact('?AccessKeySecret=abcdef123&x=1'), '?AccessKeySecret=[redacted]&x=1');
	t.is(redact('security-token: STS.abcdef'), 'security-token: [redacted]');
	t.is(redact('nothing secret here: bucket=orders'), 'nothing secret here: bucket=orders');
});

test('maskSecret shows only the last 4 characters', t => {
	t.is(maskSecret('LTAI5tAbCdEfGhIjKl1234'), '****1234');
	t.is(maskSecret('12345'), '****2345');
	t.is(maskSecret('1234'), '****');
	t.is(maskSecret(''), '****');
});

test('a secret that contains a shorter registered secret is still redacted whole', t => {
	registerSecret('k3y9');
	registerSecret('k3y9-a-much-longer-secret-tail');
	const redacted = redact('value: k3y9-a-much-longer-secret-tail.');
	t.is(redacted, 'value: [redacted].');
	t.false(redacted.includes('tail'));
});

test('a credential\'s name in a sentence is not a credential: only = or : starts a value', t => {
	t.is(redact('Put "unloadSecretAccessKey" in the answers file'), 'Put "unloadSecretAccessKey" in the answers file');
	t.is(redact('{"secretAccessKey": "wJalrXUtnFEMI"}'), '{"secretAccessKey": "[redacted]"}');
	t.is(redact("password='hunter22'"), "password='[redacted]'");
});
