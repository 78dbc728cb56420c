import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
import {LineInput} from './line-input.js';
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
			<LineInput
				value={value}
				onChange={next => {
					setValue(next);
					setRefused(false);
				}}
				onSubmit={submit}
			/>
			{refused ? <Text color={colors.failure}>{`${symbols.failure} Value must be exactly ${expected}`}</Text> : null}
			<KeyLegend keys={[['Enter', 'confirm'], ['Esc', 'cancel']]} />
		</Box>
	);
}
