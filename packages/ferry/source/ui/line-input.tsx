import {Box, Text} from 'ink';
import TextInput from 'ink-text-input';
import {colors, symbols} from './theme.js';

type LineInputProps = {
	value: string;
	onChange(value: string): void;
	onSubmit(value: string): void;
	mask?: string;
	placeholder?: string;
};

/**
 * A one-line text input behind a pointer. Typed fast, pasted, or sent by tmux, the text and its Enter can arrive in one
 * chunk, which ink-text-input would keep as text: a line break in the chunk is taken as Enter.
 */
export function LineInput({value, onChange, onSubmit, mask, placeholder}: LineInputProps) {
	return (
		<Box>
			<Box flexShrink={0} marginRight={1}>
				<Text color={colors.accent}>{symbols.pointer}</Text>
			</Box>
			<TextInput
				value={value}
				{...(mask ? {mask} : {})}
				{...(placeholder ? {placeholder} : {})}
				onChange={next => {
					const clean = next.replace(/[\r\n]/g, '');
					onChange(clean);
					if (clean !== next) {
						onSubmit(clean);
					}
				}}
				onSubmit={onSubmit}
			/>
		</Box>
	);
}
