import {Box, Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import type {Choice} from '../engine/wizard.js';
import {SelectionMarker} from './selection-marker.js';
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
type SelectionState = {cursor: number; windowStart: number; selected: ReadonlySet<string>};

export function MultiSelect({choices, initialSelected, limit, isFocused = true, onSubmit}: MultiSelectProps) {
	const visible = Math.max(1, Math.min(limit, choices.length));
	// Several keys can arrive in one chunk (a paste, tmux send-keys, a slow link) and are handled before React
	// renders again; the state lives in a ref so each key sees the previous key's effect.
	const state = useRef<SelectionState>({cursor: 0, windowStart: 0, selected: new Set(initialSelected)});
	const [, setRevision] = useState(0);
	const update = (next: Partial<SelectionState>) => {
		state.current = {...state.current, ...next};
		setRevision(revision => revision + 1);
	};

	const moveTo = (next: number) => {
		const wrapped = (next + choices.length) % choices.length;
		const start = state.current.windowStart;
		update({cursor: wrapped, windowStart: wrapped < start ? wrapped : wrapped >= start + visible ? wrapped - visible + 1 : start});
	};

	useInput(
		(input, key) => {
			const {cursor, selected} = state.current;
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
					const next = new Set(selected);
					if (next.has(value)) {
						next.delete(value);
					} else {
						next.add(value);
					}

					update({selected: next});
				}
			} else if (input === 'a') {
				update({selected: selected.size === choices.length ? new Set() : new Set(choices.map(choice => choice.value))});
			} else if (key.return) {
				onSubmit(choices.filter(choice => selected.has(choice.value)).map(choice => choice.value));
			}
		},
		{isActive: isFocused},
	);

	const {cursor, windowStart, selected} = state.current;
	const shown = choices.slice(windowStart, windowStart + visible);
	return (
		<Box flexDirection="column">
			{shown.map((choice, offset) => {
				const index = windowStart + offset;
				const isCursor = index === cursor;
				const isSelected = selected.has(choice.value);
				return (
					<Box key={choice.value}>
						<SelectionMarker isSelected={isCursor} />
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
				{choices.length > visible ? ` ${symbols.separator} ${windowStart + 1}${symbols.range}${windowStart + shown.length} shown` : ''}
			</Text>
		</Box>
	);
}
