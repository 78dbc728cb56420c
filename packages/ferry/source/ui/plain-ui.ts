import {ListrLogger, ProcessOutput} from 'listr2';
import {resolveParameters} from '../engine/parameters.js';
import type {ListrRendering, RunnerUi} from '../engine/runner.js';
import type {ReviewDocument} from '../engine/wizard.js';
import {UsageError} from '../engine/errors.js';
import {shows, type LogLevel} from '../log/log-level.js';
import {tableLines} from './review-table.js';
import {symbols} from './theme.js';
import {textWidth, wrapText} from './wrap-text.js';

/**
 * The headless front end: every answer comes from flags or the answers file, progress is listr2's line-based
 * renderer on stderr (stdout may carry --json), and anything that would need a person needs --yes instead.
 * No Ink here: this module must not load React.
 */
export type PlainUiOptions = {
	/** --yes: accept reviews, confirmations and reruns. */
	yes: boolean;
	/** What reaches stderr: below info no step headers and the silent renderer, below warn no warnings. @default 'info' */
	logLevel?: LogLevel;
	/** The same as logLevel 'error'. */
	quiet?: boolean;
	/** @default process.stderr */
	stderr?: NodeJS.WritableStream;
};

const plainWidth = 100;

export function renderReviewText(document: ReviewDocument, columns = plainWidth): string {
	const lines = [document.title, '='.repeat(Math.min(columns, textWidth(document.title)))];
	for (const section of document.sections) {
		lines.push('', section.title, '-'.repeat(Math.min(columns, textWidth(section.title))));
		if (section.body) {
			lines.push(...wrapText(section.body, columns));
		}

		for (const table of section.tables ?? []) {
			lines.push('', ...tableLines(table, columns).map(line => line.text));
		}

		if (section.code) {
			lines.push('', ...section.code.replace(/\n+$/, '').split('\n').map(line => `    ${line}`), '');
		}

		for (const warning of section.warnings ?? []) {
			lines.push(...wrapText(`${symbols.warning} ${warning}`, columns));
		}
	}

	return `${lines.join('\n')}\n`;
}

export function createPlainUi(options: PlainUiOptions): RunnerUi {
	const stderr = options.stderr ?? process.stderr;
	const level: LogLevel = options.quiet ? 'error' : options.logLevel ?? 'info';
	const writeAt = (at: LogLevel) => (text: string) => {
		if (shows(level, at)) {
			stderr.write(text);
		}
	};

	const write = writeAt('info');
	const warn = writeAt('warn');

	const stream = stderr as NodeJS.WriteStream;
	const logger = new ListrLogger({processOutput: new ProcessOutput(stream, stream)});

	return {
		stepStarted(step, index, total) {
			write(`Step ${index}/${total} ${symbols.separator} ${step.title}\n`);
		},
		stepSkipped(step, index, total, record) {
			const summary = typeof record?.summary === 'string' && record.summary !== '' ? ` ${symbols.dash} ${record.summary}` : '';
			write(`Step ${index}/${total} ${symbols.separator} ${step.title}: done earlier, skipped${summary}\n`);
		},
		stepFinished(step, record) {
			if (record.state === 'interrupted') {
				warn(`${symbols.failure} ${step.title}: interrupted\n`);
			}

			// A task's summary is its task's last line (the runner sets it); forms and reviews end after their task, so they say it here.
			if (record.state === 'done' && (step.kind === 'form' || step.kind === 'review') && record.summary) {
				write(`${symbols.success} ${step.title} ${symbols.dash} ${record.summary}\n`);
			}
		},
		async askParameters(_step, parameters, context, secrets) {
			return resolveParameters(parameters, context, key => secrets.get(key) !== undefined);
		},
		async review(step, document) {
			// The plan is printed at every level when it is refused: the operator must see what --yes would accept.
			if (!options.yes) {
				stderr.write(renderReviewText(document));
				throw new UsageError(`"${step.title}" needs your review: pass --yes to accept the plan`, {hint: 'Read the plan above (or `ferry plan <wizard>`), then run again with --yes.'});
			}

			write(renderReviewText(document));
			write(`Plan accepted (--yes)\n`);
			return true;
		},
		async confirm(step, request) {
			if (!options.yes) {
				throw new UsageError(`"${step.title}" needs confirmation: ${request.message}`, {hint: `Pass --yes to confirm (interactively you would type "${request.expected}").`});
			}

			warn(`${symbols.warning} ${request.message}: confirmed by --yes\n`);
			return true;
		},
		async confirmRerun(step, record) {
			if (!options.yes) {
				throw new UsageError(`"${step.title}" ran before (${record.state}) and running it again would duplicate data`, {hint: 'Clean up the target by hand, then resume with --yes to rerun the step.'});
			}

			warn(`${symbols.warning} rerunning "${step.title}" (--yes); it may duplicate data\n`);
			return true;
		},
		rendering(): ListrRendering {
			if (!shows(level, 'info')) {
				return {renderer: 'silent', fallbackRenderer: 'silent'};
			}

			return {renderer: 'simple', fallbackRenderer: 'simple', rendererOptions: {logger}, fallbackRendererOptions: {logger}};
		},
	};
}
