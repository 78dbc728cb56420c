import {Box, Text} from 'ink';
import {colors, symbols} from './theme.js';

/**
 * The cursor of every list: "❯ " before the highlighted item, two blanks before the others. It never shrinks, so a
 * long item wrapping in a narrow terminal cannot squeeze out the space after the pointer ("❯local").
 */
export function SelectionMarker({isSelected = false}: {isSelected?: boolean}) {
	return (
		<Box flexShrink={0} marginRight={1}>
			<Text color={colors.selected}>{isSelected ? symbols.pointer : ' '}</Text>
		</Box>
	);
}
