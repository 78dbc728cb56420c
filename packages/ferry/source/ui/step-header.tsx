import {Box, Text} from 'ink';
import type {StepInfo} from '../engine/runner.js';
import {colors, symbols} from './theme.js';
import {wrapText} from './wrap-text.js';

export function stepLabel(index: number, total: number, title: string): string {
	return `Step ${index} of ${total} ${symbols.separator} ${title}`;
}

/** The running step: "Step 5 of 10 · Unload to S3", and under it the procedure's explanation. */
export function StepHeader({step, index, total}: {step: Pick<StepInfo, 'title' | 'explain'>; index: number; total: number}) {
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text bold color={colors.accent}>
				{stepLabel(index, total, step.title)}
			</Text>
			{step.explain ? <Text color={colors.muted}>{step.explain.trim()}</Text> : null}
		</Box>
	);
}

export type FinishedStep = {
	key: string;
	index: number;
	total: number;
	title: string;
	outcome: 'done' | 'failed' | 'interrupted' | 'skipped';
	summary?: string;
};

const outcomeMarks = {
	done: {symbol: symbols.success, color: colors.success},
	failed: {symbol: symbols.failure, color: colors.failure},
	interrupted: {symbol: symbols.failure, color: colors.warning},
	skipped: {symbol: symbols.skipped, color: colors.muted},
} as const;

/** One line per finished step, printed once into Ink's <Static> history; a long summary wraps under it. */
export function FinishedStepLine({step, columns}: {step: FinishedStep; columns?: number}) {
	const mark = outcomeMarks[step.outcome];
	const label = stepLabel(step.index, step.total, step.title);
	const summary = step.summary ? ` ${symbols.dash} ${step.summary}` : '';
	const summaryColor = step.outcome === 'failed' ? colors.failure : colors.muted;
	// <Static> lays its items out without the terminal's width, so the lines are wrapped here: Ink's own wrap would
	// carry a space that falls on the last column to the start of the next line.
	const lines = columns ? styledLines(label, summary, columns - 2) : [{label, summary}];
	return (
		<Box {...(columns ? {width: columns} : {})}>
			<Box flexShrink={0} marginRight={1}>
				<Text color={mark.color}>{mark.symbol}</Text>
			</Box>
			<Box flexDirection="column">
				{lines.map((line, index) => (
					<Text key={index /* the lines of one printed text never move */}>
						{line.label}
						{line.summary ? <Text color={summaryColor}>{line.summary}</Text> : null}
					</Text>
				))}
			</Box>
		</Box>
	);
}

/** The label and summary wrapped as one text, each line split where the label ends so both keep their colours. */
function styledLines(label: string, summary: string, width: number): Array<{label: string; summary: string}> {
	const text = label + summary;
	let offset = 0;
	return wrapText(text, width).map(line => {
		const start = text.indexOf(line, offset);
		offset = start + line.length;
		const cut = Math.max(0, Math.min(line.length, label.length - start));
		return {label: line.slice(0, cut), summary: line.slice(cut)};
	});
}
