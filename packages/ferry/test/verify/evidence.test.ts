import {execFileSync, spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {XMLParser} from 'fast-xml-parser';
import {main} from '../../source/cli/main.js';
import {createSession, verificationKeys, type Session} from '../../source/engine/session.js';
import {registerSecret} from '../../source/log/redact.js';
import {openSessionAudit, saveSession, sessionFiles} from '../../source/store/session-store.js';
import {renderMarkdown, type VerificationReport} from '../../source/verify/report.js';
import {captureIo} from '../helpers/fake-io.js';
import {useFerryHome} from '../helpers/ferry-home.js';
import {reportWithDifferences} from '../ui/verification-fixture.js';

const wizard = 'redshift-to-maxcompute';
const secret = 'EvidenceSecretValue/0123456789abcdef';

/** The fixture's report with only its equal checks: an equal session. */
function equalReport(): VerificationReport {
	const report = reportWithDifferences();
	const comparisons = report.comparisons.filter(comparison => comparison.equal);
	return {...report, comparisons, outcome: 'equal', equal: true};
}

/** A finished session of the procedure with this verification report, and an audit trail of a few lines. */
function sessionWith(report: VerificationReport, id: string): Session {
	const session = createSession({wizard, wizardVersion: 1, profile: 'local', stepIds: ['connect', 'unload', 'verify'], answers: {tables: ['region']}});
	session.id = id;
	session.state = report.equal ? 'done' : 'different';
	for (const step of ['connect', 'unload', 'verify']) {
		Object.assign(session.steps[step]!, {state: 'done', attempts: 1, startedAt: '2026-12-07T10:00:00.000Z', finishedAt: '2026-12-07T10:00:02.500Z'});
	}

	session.steps['verify']!.outputs[verificationKeys.report] = report;
	session.steps['verify']!.outputs[verificationKeys.equal] = report.equal;
	const audit = openSessionAudit(id);
	audit.enterStep('unload');
	audit.record({type: 'call', service: 'redshift-data', operation: 'ExecuteStatement', status: 200, durationMs: 5, retries: 0, requestId: 'req-<1>'});
	audit.record({type: 'statement', service: 'redshift-data', text: `UNLOAD ('SELECT 1') SECRET_ACCESS_KEY '${secret}'`, remoteId: 'stmt-<&>-1'});
	audit.enterStep(undefined);
	session.audit = audit.head();
	audit.close();
	saveSession(session);
	return session;
}

async function report(id: string, format: string, output?: string): Promise<{code: number; stdout: string; stderr: string}> {
	const io = captureIo();
	const code = await main(['report', id, '--format', format, ...(output ? ['-o', output] : [])], io.io);
	return {code, stdout: io.stdout(), stderr: io.stderr()};
}

type Suite = {'@_tests': string; '@_failures': string; '@_errors': string; '@_skipped': string; testcase: Array<{'@_name': string; failure?: unknown; error?: unknown}>};

/** What a CI job's JUnit gate does: pass when no testcase failed or erred. */
function gate(xml: string): {passed: boolean; suite: Suite} {
	const parsed = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '@_', isArray: name => name === 'testcase' || name === 'testsuite'}).parse(xml) as {testsuites: {testsuite: Suite[]}};
	const suites = parsed.testsuites.testsuite;
	const suite = suites[0]!;
	return {passed: suites.length === 1 && suite.testcase.every(testcase => testcase.failure === undefined && testcase.error === undefined) && suite['@_failures'] === '0' && suite['@_errors'] === '0', suite};
}

test.serial('md is the default and is the verification report as report.md holds it', async t => {
	useFerryHome(t);
	const session = sessionWith(reportWithDifferences(), 'rtm-20261207-1000-md01');
	const result = await report(session.id, 'md');
	const plain = captureIo();
	t.is(await main(['report', session.id], plain.io), 0);
	t.is(result.code, 0, result.stderr);
	t.is(plain.stdout(), result.stdout);
	t.is(result.stdout, renderMarkdown(reportWithDifferences()));
});

test.serial('JUnit: a CI gate fails on a session whose verification differed and passes on an equal one', async t => {
	useFerryHome(t);
	const different = gate((await report(sessionWith(reportWithDifferences(), 'rtm-20261207-1000-diff').id, 'junit')).stdout);
	t.false(different.passed);
	t.is(different.suite['@_tests'], '3');
	t.is(different.suite['@_failures'], '2');
	t.deepEqual(different.suite.testcase.filter(testcase => testcase.failure !== undefined).map(testcase => testcase['@_name']), ['TPC-H Q1 (pricing summary report) (tpch-q1)', 'Rows in public.nation (row-count:public.nation)']);

	const equal = gate((await report(sessionWith(equalReport(), 'rtm-20261207-1000-same').id, 'junit')).stdout);
	t.true(equal.passed);
	t.is(equal.suite['@_tests'], '1');

	// A session with no verification passes nothing.
	const unverified = sessionWith(equalReport(), 'rtm-20261207-1000-none');
	delete unverified.steps['verify']!.outputs[verificationKeys.report];
	saveSession(unverified);
	t.false(gate((await report(unverified.id, 'junit')).stdout).passed);
});

test.serial('JSON: the steps with timings and remote ids, the verification with its rules, the audit head; no secret', async t => {
	useFerryHome(t);
	registerSecret(secret);
	const session = sessionWith(reportWithDifferences(), 'rtm-20261207-1000-json');
	session.plan = {hash: 'sha256:plan', file: '/tmp/plan.json', rowTolerance: {percent: 0}, facts: []};
	saveSession(session);
	const result = await report(session.id, 'json');
	t.is(result.code, 0, result.stderr);
	const evidence = JSON.parse(result.stdout) as {plan?: {hash: string}; steps: Array<{id: string; durationMs: number; remoteIds: string[]; calls: number}>; verification: {outcome: string; rules: string[]; checks: Array<{rule: string; source: string; target: string}>}; audit: {lines: number; head: string; intact: boolean}};
	t.deepEqual(evidence.plan, {hash: 'sha256:plan'});
	t.like(evidence.steps.find(step => step.id === 'unload'), {durationMs: 2500, remoteIds: ['stmt-<&>-1'], calls: 1});
	t.is(evidence.verification.outcome, 'differs');
	t.true(evidence.verification.rules.length > 0);
	t.true(evidence.verification.checks.every(check => check.rule.length > 0));
	t.like(evidence.audit, {lines: 2, head: session.audit!.hash, intact: true});
	t.false(result.stdout.includes(secret));
	for (const format of ['junit', 'html', 'md']) {
		t.false((await report(session.id, format)).stdout.includes(secret), format);
	}
});

function chromium(): string | undefined {
	for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
		if (spawnSync('sh', ['-c', `command -v ${name}`]).status === 0) {
			return name;
		}
	}

	return undefined;
}

const browser = chromium();
const htmlTest = browser ? test.serial : test.serial.skip;
if (!browser) {
	console.warn('evidence.test.ts: no chromium on this machine; the HTML rendering test is skipped (.ci/run installs it).');
}

htmlTest('HTML: headless Chromium renders the page with the side-by-side table, every text escaped', async t => {
	const home = useFerryHome(t);
	const session = sessionWith(reportWithDifferences(), 'rtm-20261207-1000-html');
	const file = path.join(home, 'evidence.html');
	const result = await report(session.id, 'html', file);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /Report written to/);
	const page = readFileSync(file, 'utf8');
	t.false(/<script|https?:\/\/(?!www\.w3)/i.test(page), 'self-contained: no script, no outside resource');
	t.true(page.includes('stmt-&lt;&amp;&gt;-1'));

	const dom = execFileSync(browser!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--user-data-dir=${path.join(home, 'chromium')}`, '--dump-dom', `file://${file}`], {encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore']});
	// The rendered DOM, parsed: the verification table with a header and one row per check, side by side.
	const parsed = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '@_', unpairedTags: ['meta', 'br'], stopNodes: ['*.style'], htmlEntities: true}).parse(dom.replace(/^<!DOCTYPE html>/i, '')) as Record<string, unknown>;
	const tables = findAll(parsed, 'table');
	const verification = tables.find(table => table['@_id'] === 'verification');
	t.truthy(verification, 'the verification table is in the rendered page');
	const head = JSON.stringify((verification!['thead'] as Record<string, unknown>));
	for (const column of ['Check', 'Source', 'Target', 'Result', 'Rule']) {
		t.true(head.includes(column), column);
	}

	const rows = [(verification!['tbody'] as {tr: unknown}).tr].flat();
	t.is(rows.length, 3);
	t.regex(JSON.stringify(rows), /differs/);
	t.regex(JSON.stringify(rows), /equal/);
});

/** Every element named `name` in a parsed document. */
function findAll(node: unknown, name: string): Array<Record<string, unknown>> {
	if (Array.isArray(node)) {
		return node.flatMap(item => findAll(item, name));
	}

	if (typeof node !== 'object' || node === null) {
		return [];
	}

	return Object.entries(node).flatMap(([key, value]) => (key === name ? [value].flat() as Array<Record<string, unknown>> : findAll(value, name)));
}

test.serial('an unknown format is a usage error naming the formats', async t => {
	useFerryHome(t);
	const session = sessionWith(equalReport(), 'rtm-20261207-1000-fmt1');
	const io = captureIo();
	t.is(await main(['report', session.id, '--format', 'pdf'], io.io), 2);
	t.regex(io.stderr(), /md, json, junit, html/);
	t.true(sessionFiles(session.id).audit.endsWith('audit.jsonl'));
});
