import {Box, Text, useInput} from 'ink';
import type {VerificationReport} from '../verify/report.js';
import {KeyLegend} from './key-legend.js';
import {colors, symbols} from './theme.js';
import {summaryLine} from './verification-layout.js';

export type Outcome = {
	sessionId: string;
	exitCode: number;
	report?: VerificationReport;
	error?: {message: string; hint?: string};
	/** What the run created and where to find how to remove it (`createdResourcesHint`). */
	created?: string;
};

/** How the run ended, in one or two lines: success, a difference, a failure with its hint, or an interruption; then what it created. */
export function OutcomeSummary({outcome}: {outcome: Outcome}) {
	return (
		<Box flexDirection="column">
			<OutcomeLines outcome={outcome} />
			{outcome.created ? <Text color={colors.muted}>{outcome.created}</Text> : null}
		</Box>
	);
}

function OutcomeLines({outcome}: {outcome: Outcome}) {
	if (outcome.exitCode === 130) {
		return (
			<Box flexDirection="column">
				<Text color={colors.warning}>{`${symbols.warning} ${outcome.error?.message ?? 'Interrupted'}: session saved; continue with \`ferry resume ${outcome.sessionId}\``}</Text>
				{outcome.error?.hint && !outcome.error.hint.includes('ferry resume') ? <Text color={colors.muted}>{outcome.error.hint}</Text> : null}
			</Box>
		);
	}

	if (outcome.exitCode === 0) {
		return <Text color={colors.success}>{`${symbols.success} Done${outcome.report ? `: ${summaryLine(outcome.report)}` : ''}. Session ${outcome.sessionId}.`}</Text>;
	}

	if (outcome.exitCode === 5 && outcome.report) {
		return <Text color={colors.failure}>{`${symbols.failure} Verification found differences: ${summaryLine(outcome.report)}. Session ${outcome.sessionId}.`}</Text>;
	}

	return (
		<Box flexDirection="column">
			<Text color={colors.failure}>{`${symbols.failure} ${outcome.error?.message ?? `Stopped with exit code ${outcome.exitCode}`}`}</Text>
			{outcome.error?.hint ? <Text>{outcome.error.hint}</Text> : null}
			<Text color={colors.muted}>{`Session ${outcome.sessionId} is saved; fix the cause, then \`ferry resume ${outcome.sessionId}\`.`}</Text>
		</Box>
	);
}

/** The last screen: the summary, then "Press Enter to exit" (q works too). */
export function OutcomeScreen({outcome, onDone}: {outcome: Outcome; onDone(): void}) {
	useInput((input, key) => {
		if (key.return || input === 'q') {
			onDone();
		}
	});
	return (
		<Box flexDirection="column">
			<OutcomeSummary outcome={outcome} />
			<Box marginTop={1}>
				<KeyLegend keys={[['Press Enter', 'to exit']]} />
			</Box>
		</Box>
	);
}
