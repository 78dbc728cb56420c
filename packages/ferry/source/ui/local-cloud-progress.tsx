import {Box, Text} from 'ink';
import {describeProgress, type LocalCloudProgress} from '../local/progress.js';
import {Spinner} from './spinner.js';
import {colors} from './theme.js';

/** The live line of a local cloud that is starting (e.g. seeding TPC-H on its first start); nothing once it is ready. */
export function LocalCloudProgressLine({progress}: {progress: LocalCloudProgress | undefined}) {
	if (!progress || progress.phase === 'ready') {
		return null;
	}

	const share = progress.allRowsTotal ? (progress.allRowsDone ?? 0) / progress.allRowsTotal : undefined;
	return (
		<Box flexDirection="column">
			<Box>
				<Spinner />
				<Text> {describeProgress(progress)}</Text>
			</Box>
			{share === undefined ? null : <Text color={colors.muted}>  first start: the local Redshift is seeded once, then kept</Text>}
		</Box>
	);
}
