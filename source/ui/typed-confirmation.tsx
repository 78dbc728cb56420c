import {Box, Text, useInput} from 'ink';
import TextInput from 'ink-text-input';
import {useState} from 'react';
import {KeyLegend} from './key-legend.js';
import {colors, symbols} from './theme.js';

export type TypedConfirmationProps = {
	message: string;
	/** What must be typed, exactly, to go ahead (a table or project name). */
	expected: string;
	onAnswer(confirmed: boolean): void;
};

/** For steps that overwrite or delete: type the name to go on (Shopify's DangerousConfirmationPrompt); Esc cancels. */
export function TypedConfirmation({message, expected, onAnswer}: TypedConfirmationProps) {
	const [value, setValue] = useState('');
	const [refused, setRefused] = useState(false);
	const submit = (submitted: string) => {
		if (submitted.trim() === expected) {
			onAnswer(true);
		} else {
			setRefused(true);
		}
	};

	useInput((_input, key) => {
		if (key.escape) {
			onAnswer(false);
		}
	});
	return (
		<Box flexDirection="column">
			<Text color={colors.warning}>{`${symbols.warning} ${message}`}</Text>
			<Text>
				{'Type '}
				<Text bold>{expected}</Text>
				{' to continue:'}
			</Text>
			<Box>
				<Box flexShrink={0} marginRight={1}>
					<Text color={colors.accent}>{symbols.pointer}</Text>
				</Box>
				<TextInput
					value={value}
					onChange={next => {
						// Typed fast or pasted, the text and its Enter arrive in one chunk: treat the line break as Enter.
						const clean = next.replace(/[\r\n]/g, '');
						setValue(clean);
						setRefused(false);
						if (clean !== next) {
							submit(clean);
						}
					}}
					onSubmit={submit}
				/>
			</Box>
			{refused ? <Text color={colors.failure}>{`${symbols.failure} Value must be exactly ${expected}`}</Text> : null}
			<KeyLegend keys={[['Enter', 'confirm'], ['Esc', 'cancel']]} />
		</Box>
	);
}
