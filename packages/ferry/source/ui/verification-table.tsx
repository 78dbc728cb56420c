import {Box, Text, useWindowSize} from 'ink';
import type {VerificationReport} from '../verify/report.js';
import {colors} from './theme.js';
import {layoutReport, type Tone} from './verification-layout.js';

const toneColors: Record<Tone, string | undefined> = {
	plain: undefined,
	muted: colors.muted,
	heading: undefined,
	equal: colors.success,
	different: colors.different,
	warning: colors.warning,
};

/**
 * The verification report side by side: rows aligned by their group keys, source │ target │ =/≠ per value
 * column, differing cells in colour and marked ≠, each difference with its amount and likely cause, the rule stated.
 * At narrow widths source and target stack per row.
 */
export function VerificationTable({report, columns}: {report: VerificationReport; columns?: number}) {
	const {columns: windowColumns} = useWindowSize();
	const width = columns ?? windowColumns;
	const lines = layoutReport(report, {columns: width});
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				<Text key={index}>
					{line.length === 0 ? ' ' : line.map((segment, segmentIndex) => (
						<Text key={segmentIndex} color={toneColors[segment.tone]} bold={segment.tone === 'heading'}>
							{segment.text}
						</Text>
					))}
				</Text>
			))}
		</Box>
	);
}
