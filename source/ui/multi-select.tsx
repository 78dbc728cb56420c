import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
import type {Choice} from '../engine/wizard.js';
import {colors, symbols} from './theme.js';

export type MultiSelectProps = {
	choices: readonly Choice[];
	initialSelected: readonly string[];
	/** Rows of choices visible at once; the window follows the cursor. */
	limit: number;
	isFocused?: boolean;
	onSubmit(values: string[]): void;
};

/** Space toggles, `a` selects all or none, Enter confirms. Values come back in the order of the choices. */
export function MultiSelect({choices, initialSelected, limit, isFocused = true, onSubmit}: MultiSelectProps) {
	const [cursor, setCursor] = useState(0);
	const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(initialSelected));
	const [windowStart, setWindowStart] = useState(0);
	const visible = Math.max(1, Math.min(limit, choices.length));

	const moveTo = (next: number) => {
		const wrapped = (next + choices.length) % choices.length;
		setCursor(wrapped);
		setWindowStart(start => (wrapped < start ? wrapped : wrapped >= start + visible ? wrapped - visible + 1 : start));
	};

	useInput(
		(input, key) => {
			if (choices.length === 0) {
				if (key.return) {
					onSubmit([]);
				}

				return;
			}

			if (key.upArrow || input === 'k') {
				moveTo(cursor - 1);
			} else if (key.downArrow || input === 'j') {
				moveTo(cursor + 1);
			} else if (input === ' ') {
				const value = choices[cursor]?.value;
				if (value !== undefined) {
					setSelected(previous => {
						const next = new Set(previous);
						if (next.has(value)) {
							next.delete(value);
						} else {
							next.add(value);
						}

						return next;
					});
				}
			} else if (input === 'a') {
				setSelected(previous => (previous.size === choices.length ? new Set() : new Set(choices.map(choice => choice.value))));
			} else if (key.return) {
				onSubmit(choices.filter(choice => selected.has(choice.value)).map(choice => choice.value));
			}
		},
		{isActive: isFocused},
	);

	const shown = choices.slice(windowStart, windowStart + visible);
	return (
		<Box flexDirection="column">
			{shown.map((choice, offset) => {
				const index = windowStart + offset;
				const isCursor = index === cursor;
				const isSelected = selected.has(choice.value);
				return (
					<Box key={choice.value}>
						<Box flexShrink={0} marginRight={1}>
							<Text color={colors.selected}>{isCursor ? symbols.pointer : ' '}</Text>
						</Box>
						<Box flexShrink={0} marginRight={1}>
							<Text color={isSelected ? colors.success : colors.muted}>{isSelected ? symbols.checked : symbols.unchecked}</Text>
						</Box>
						<Text>
							<Text color={isCursor ? colors.selected : undefined}>{choice.label}</Text>
							{choice.hint ? <Text color={colors.muted}>{`  ${choice.hint}`}</Text> : null}
						</Text>
					</Box>
				);
			})}
			<Text color={colors.muted}>
				{`${selected.size} of ${choices.length} selected`}
				{choices.length > visible ? ` ${symbols.separator} ${windowStart + 1}–${windowStart + shown.length} shown` : ''}
			</Text>
		</Box>
	);
}
