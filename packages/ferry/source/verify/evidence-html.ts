/**
 * The evidence pack as one self-contained HTML page: inline CSS, no script, no outside resource, every text escaped.
 * Laid out like the Markdown report (the verification side by side, the rules once), with the steps, what ferry
 * created and the audit trail's head around it.
 */
import type {Evidence} from './evidence.js';
import {resultText} from './report-summary.js';

function html(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll('\'', '&#39;');
}

function table(id: string, headers: string[], rows: string[][], classes: Array<string | undefined> = []): string {
	const head = headers.map((header, index) => `<th${classes[index] ? ` class="${classes[index]}"` : ''}>${html(header)}</th>`).join('');
	const body = rows.map(row => `<tr>${row.map((cell, index) => `<td${classes[index] ? ` class="${classes[index]}"` : ''}>${cell}</td>`).join('')}</tr>`).join('\n');
	return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const style = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f23}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}code{font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}
.equal{color:#1a7f37}.differs{color:#cf222e;font-weight:600}.not-compared{color:#9a6700}
.verdict{padding:.5rem .75rem;border-radius:4px;background:#f6f8fa;border-left:4px solid #8c959f}
.verdict.equal{border-color:#1a7f37}.verdict.differs{border-color:#cf222e}.verdict.not-compared{border-color:#9a6700}`;

export function renderEvidenceHtml(evidence: Evidence): string {
	const {session, verification, audit} = evidence;
	const sections: string[] = [
		`<h1>ferry evidence: session <code>${html(session.id)}</code></h1>`,
		`<p>${html(session.wizard)} v${session.wizardVersion} on profile ${html(session.profile)} · state <strong>${html(session.state)}</strong>${session.exitCode === undefined ? '' : ` · exit ${session.exitCode}`} · created ${html(session.createdAt)} · ferry ${html(evidence.ferryVersion)}</p>`,
		`<p>Plan: ${evidence.plan ? `sha256 <code id="plan-hash">${html(evidence.plan.hash)}</code>` : 'none (the session was not run from a saved plan)'}</p>`,
	];

	sections.push('<h2>Verification</h2>');
	if (verification) {
		sections.push(
			`<p class="verdict ${html(verification.outcome)}" id="verdict"><strong>${html(verification.outcome)}</strong>: ${html(verification.summary)}</p>`,
			table('verification', ['Check', 'Source', 'Target', 'Result', 'Rule'], verification.checks.map(check => [
				html(check.title),
				html(check.source),
				html(check.target),
				`<span class="${html(check.result)}">${html(resultText(check, {equal: '✓', differs: '✗', notCompared: '–'}))}</span>${check.reason ? `<br>${html(check.reason)}` : ''}`,
				html(check.rule),
			]), [undefined, 'num', 'num']),
			`<p><strong>Rules:</strong> ${html(verification.rules.join(' '))}</p>`,
			`<p>Started ${html(verification.startedAt)}, finished ${html(verification.finishedAt)}.</p>`,
		);
	} else {
		sections.push('<p class="verdict">The session has no verification yet.</p>');
	}

	sections.push('<h2>Steps</h2>', table('steps', ['Step', 'State', 'Attempts', 'Started', 'Duration', 'Remote ids', 'Summary'], evidence.steps.map(step => [
		html(step.title),
		html(step.state),
		String(step.attempts),
		html(step.startedAt ?? '–'),
		step.durationMs === undefined ? '–' : `${(step.durationMs / 1000).toFixed(1)} s`,
		step.remoteIds.length === 0 ? '–' : step.remoteIds.map(id => `<code>${html(id)}</code>`).join('<br>'),
		html(step.error ?? step.summary ?? ''),
	]), [undefined, undefined, 'num', undefined, 'num']));

	sections.push('<h2>Created by ferry</h2>', evidence.created.length === 0
		? '<p>Nothing.</p>'
		: `<ul>${evidence.created.map(resource => `<li><code>${html(JSON.stringify(resource))}</code></li>`).join('')}</ul>`);

	sections.push('<h2>Audit trail</h2>', `<p id="audit">${audit.lines} lines, head sha256 <code>${html(audit.head)}</code>: ${audit.intact ? 'the chain is intact' : `<span class="differs">broken: ${html(audit.cause ?? '')}</span>`}. Check it with <code>ferry sessions verify-log ${html(session.id)}</code>.</p>`);

	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>ferry evidence ${html(session.id)}</title>
<style>${style}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}
