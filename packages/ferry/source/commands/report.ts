import type {ParsedArgs} from '../cli/cli-args.js';
import {emitDocument, type CommandIo} from '../cli/io.js';
import {packageVersion} from '../cli/version.js';
import {exitCodes, UsageError} from '../engine/errors.js';
import {verificationOf} from '../engine/session.js';
import {parseAuditLines, verifyAuditTrail} from '../store/audit-trail.js';
import {loadSession, readSessionAudit, resolveSessionId, sessionFiles} from '../store/session-store.js';
import {buildEvidence, renderEvidenceJson} from '../verify/evidence.js';
import {renderEvidenceHtml} from '../verify/evidence-html.js';
import {renderEvidenceJunit} from '../verify/evidence-junit.js';
import {renderMarkdown, type VerificationReport} from '../verify/report.js';
import {wizardCatalog} from '../../wizards/index.js';

/** `ferry report ID [--format md|json|junit|html] [-o FILE]`: a session's evidence, on stdout or in a file. */
export default async function report(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [idOrPrefix] = args.positionals;
	if (!idOrPrefix) {
		throw new UsageError('ferry report needs a session id', {hint: 'List sessions with `ferry sessions`.'});
	}

	const session = loadSession(resolveSessionId(idOrPrefix));
	const format = args.flags.format ?? 'md';
	const entry = wizardCatalog.find(candidate => candidate.id === session.wizard);
	const steps = entry ? (await entry.load()).default.steps.map(step => ({id: step.id, title: step.title})) : Object.keys(session.steps).map(id => ({id, title: id}));
	const verification = Object.values(session.steps).map(record => verificationOf(record).report).find(candidate => candidate !== undefined) as VerificationReport | undefined;

	let text: string;
	if (format === 'md') {
		if (!verification) {
			throw new UsageError(`Session ${session.id} has no verification report yet`, {hint: `Its steps run up to the verification with \`ferry resume ${session.id}\`; \`--format json\` shows its evidence so far.`});
		}

		text = renderMarkdown(verification);
	} else {
		const content = readSessionAudit(session.id) ?? Buffer.alloc(0);
		const evidence = buildEvidence({
			session,
			steps,
			report: verification,
			auditLines: parseAuditLines(content),
			auditVerdict: verifyAuditTrail(content, session.id, session.audit),
			auditFile: sessionFiles(session.id).audit,
			ferryVersion: packageVersion(),
		});
		text = format === 'json' ? renderEvidenceJson(evidence) : (format === 'junit' ? renderEvidenceJunit(evidence) : renderEvidenceHtml(evidence));
	}

	emitDocument(io, text, args.flags.output, 'Report');

	return exitCodes.ok;
}
