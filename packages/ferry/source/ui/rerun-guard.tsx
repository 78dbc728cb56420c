import {Box, Text, useInput} from 'ink';
import type {StepInfo} from '../engine/runner.js';
import type {StepRecord} from '../engine/session.js';
import type {RerunPolicy} from '../engine/wizard.js';
import {KeyLegend} from './key-legend.js';
import {colors, symbols} from './theme.js';

const policyText: Record<RerunPolicy, string> = {
	safe: 'Running it again is safe: it overwrites what it wrote before.',
	cleanup: 'Running it again first cleans up what the earlier attempt left behind.',
	duplicates: 'Running it again would duplicate data: rows the earlier attempt already wrote stay, and the step writes them again. Clean up the target by hand first if it was partly written.',
};

/** A step that ran before and whose rerun is not harmless: explain the policy, ask y/N. */
export function RerunGuard({step, record, onAnswer}: {step: Pick<StepInfo, 'title' | 'rerun'>; record: StepRecord; onAnswer(rerun: boolean): void}) {
	useInput((input, key) => {
		if (input.toLowerCase() === 'y') {
			onAnswer(true);
		} else if (input.toLowerCase() === 'n' || key.return || key.escape) {
			onAnswer(false);
		}
	});
	const attempts = record.attempts === 1 ? 'once' : `${record.attempts} times`;
	return (
		<Box flexDirection="column">
			<Text color={colors.warning}>{`${symbols.warning} "${step.title}" already ran ${attempts} and ended ${record.state}${record.error ? `: ${record.error.message}` : '.'}`}</Text>
			<Text>{policyText[step.rerun]}</Text>
			<Text>
				<Text bold>Run it again?</Text>
				<Text color={colors.muted}> (y/N)</Text>
			</Text>
			<KeyLegend keys={[['y', 'rerun'], ['n/Enter', 'stop here']]} />
		</Box>
	);
}
