/**
 * The evidence pack as JUnit XML, so a CI job gates on a migration: one testsuite, one testcase per verification
 * check; a check that differed is a failure, one not compared because its query or side failed an error, one
 * interrupted skipped. A session without a verification is one erroring testcase: nothing was shown equal.
 */
import type {Evidence, EvidenceCheck} from './evidence.js';

function xml(text: string): string {
	// XML 1.0 cannot carry most control characters at all, escaped or not.
	// eslint-disable-next-line no-control-regex
	return text.replaceAll(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll('\'', '&apos;');
}

function seconds(from: string | undefined, to: string | undefined): string {
	const duration = from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : 0;
	return Number.isFinite(duration) && duration > 0 ? duration.toFixed(3) : '0';
}

function testcase(evidence: Evidence, check: EvidenceCheck): string {
	const open = `    <testcase classname="ferry.${xml(evidence.session.wizard)}" name="${xml(`${check.title} (${check.id})`)}" time="0">`;
	const sides = `source: ${check.source}; target: ${check.target}; rule: ${check.rule}`;
	switch (check.result) {
		case 'equal': {
			return `${open}</testcase>`;
		}

		case 'differs': {
			return `${open}\n      <failure message="${xml(`differs (${sides})`)}" type="differs">${xml(sides)}</failure>\n    </testcase>`;
		}

		case 'not-compared': {
			const reason = `not compared${check.notCompared ? ` (${check.notCompared})` : ''}: ${check.reason ?? ''}`;
			return check.notCompared === 'interrupted'
				? `${open}\n      <skipped message="${xml(reason)}"/>\n    </testcase>`
				: `${open}\n      <error message="${xml(reason)}" type="not-compared">${xml(sides)}</error>\n    </testcase>`;
		}
	}
}

export function renderEvidenceJunit(evidence: Evidence): string {
	const {verification, session} = evidence;
	const checks = verification?.checks ?? [];
	const cases = verification
		? checks.map(check => testcase(evidence, check))
		: [`    <testcase classname="ferry.${xml(session.wizard)}" name="verification" time="0">\n      <error message="${xml(`session ${session.id} has no verification (state ${session.state})`)}" type="no-verification"/>\n    </testcase>`];
	const failures = checks.filter(check => check.result === 'differs').length;
	const skipped = checks.filter(check => check.result === 'not-compared' && check.notCompared === 'interrupted').length;
	const errors = verification ? checks.filter(check => check.result === 'not-compared').length - skipped : 1;
	const properties = [
		['session', session.id], ['wizard', session.wizard], ['profile', session.profile], ['state', session.state],
		['ferryVersion', evidence.ferryVersion], ['auditHead', evidence.audit.head], ['auditLines', String(evidence.audit.lines)],
		...(evidence.plan ? [['planHash', evidence.plan.hash]] : []),
	].map(([name, value]) => `      <property name="${xml(name!)}" value="${xml(value!)}"/>`);
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		`<testsuites name="ferry" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
		`  <testsuite name="${xml(`verification of ${session.id}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(verification?.startedAt, verification?.finishedAt)}" timestamp="${xml(verification?.finishedAt ?? session.updatedAt)}">`,
		'    <properties>',
		...properties,
		'    </properties>',
		...cases,
		'  </testsuite>',
		'</testsuites>',
		'',
	].join('\n');
}
