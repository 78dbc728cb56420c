import {Box, Text} from 'ink';
import type {StepInfo} from '../engine/runner.js';
import {colors, symbols} from './theme.js';

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
	// <Static> lays its items out without the terminal's width: given it, a long line wraps inside the terminal.
	return (
		<Box {...(columns ? {width: columns} : {})}>
			<Box flexShrink={0} marginRight={1}>
				<Text color={mark.color}>{mark.symbol}</Text>
			</Box>
			<Text>
				{stepLabel(step.index, step.total, step.title)}
				{step.summary ? <Text color={step.outcome === 'failed' ? colors.failure : colors.muted}>{` ${symbols.dash} ${step.summary}`}</Text> : null}
			</Text>
		</Box>
	);
}
