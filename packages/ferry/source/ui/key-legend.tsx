import {Text} from 'ink';
import {colors, symbols} from './theme.js';

/** One muted line naming the keys that work on the current screen. */
export function KeyLegend({keys}: {keys: Array<[key: string, action: string]>}) {
	return <Text color={colors.muted}>{keys.map(([key, action]) => `${key} ${action}`).join(` ${symbols.separator} `)}</Text>;
}
