import {Box, Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import type {ResolvedParameter} from '../engine/parameters.js';
import type {ParameterContext} from '../engine/wizard.js';
import {KeyLegend} from './key-legend.js';
import {SelectionMarker} from './selection-marker.js';
import {colors, symbols} from './theme.js';
import {textWidth, truncateText} from './wrap-text.js';

export type SummaryRow = {key: string; label: string; value: string; help: string; missing: boolean};

/** An answer as a person reads it: a choice by its label, a secret masked, an empty optional answer as a dash. */
export function displayAnswer(resolved: ResolvedParameter, context: ParameterContext): string {
	const {parameter, value} = resolved;
	if (resolved.state === 'missing') {
		return 'to answer next';
	}

	if (parameter.type === 'secret') {
		return resolved.storedSecret ? '****** (stored)' : symbols.dash;
	}

	if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
		return symbols.dash;
	}

	switch (parameter.type) {
		case 'select': {
			return parameter.choices?.(context).find(choice => choice.value === value)?.label ?? String(value);
		}

		case 'boolean': {
			return value === true ? 'yes' : 'no';
		}

		case 'list': {
			return (value as unknown[]).map(String).join(', ');
		}

		case 'json': {
			return JSON.stringify(value);
		}

		default: {
			return String(value);
		}
	}
}

export function summaryRows(rows: readonly ResolvedParameter[], context: ParameterContext): SummaryRow[] {
	return rows.map(row => ({key: row.parameter.key, label: row.parameter.label, value: displayAnswer(row, context), help: row.parameter.help, missing: row.state === 'missing'}));
}

/** One line of at most `width` columns. */
function truncate(text: string, width: number): string {
	return width <= 0 ? '' : truncateText(text.replace(/\s+/g, ' '), width);
}

/** Column widths at a terminal width: the label column as wide as the longest label, but never more than 45%. */
export function summaryLayout(rows: readonly SummaryRow[], columns: number): {labelWidth: number; valueWidth: number} {
	// Two columns for the marker, two between label and value, one spare so no row ends in the last column.
	const usable = Math.max(20, columns) - 5;
	const longest = Math.max(0, ...rows.map(row => textWidth(row.label)));
	const labelWidth = Math.min(longest, Math.max(10, Math.floor(usable * 0.45)));
	return {labelWidth, valueWidth: usable - labelWidth};
}

export type AnswerSummaryProps = {
	rows: readonly SummaryRow[];
	/** Rows the whole screen may take, legend included. */
	height: number;
	columns: number;
	/** Where the cursor starts: -1 is the accept line, 0… a row. */
	initialCursor?: number;
	onAccept(): void;
	/** The cursor's row, so a screen coming back from an edit can put it where it was. */
	onEdit(key: string, cursor: number): void;
};

/**
 * Every answer that already has a value, on one screen: Enter on the first line accepts them all; ↑/↓ reach a row,
 * where Enter or e edits it. Longer lists scroll in a window that follows the cursor.
 */
export function AnswerSummary({rows, height, columns, initialCursor = -1, onAccept, onEdit}: AnswerSummaryProps) {
	// The accept line, the position line, the help line and the legend take four rows; the window gets the rest.
	const visible = Math.max(1, Math.min(rows.length, height - 4));
	const clamp = (cursor: number) => Math.min(rows.length - 1, Math.max(-1, cursor));
	const windowFor = (cursor: number, start: number) => (cursor < 0 ? start : cursor < start ? cursor : cursor >= start + visible ? cursor - visible + 1 : start);
	const first = clamp(initialCursor);
	// Keys that arrive in one chunk (tmux, a paste) are handled before React renders again: each must see the last.
	const state = useRef({cursor: first, windowStart: Math.max(0, windowFor(first, 0))});
	const [, setRevision] = useState(0);
	const moveTo = (next: number) => {
		const cursor = clamp(next);
		state.current = {cursor, windowStart: windowFor(cursor, state.current.windowStart)};
		setRevision(revision => revision + 1);
	};

	useInput((input, key) => {
		const {cursor} = state.current;
		if (key.upArrow || input === 'k') {
			moveTo(cursor - 1);
		} else if (key.downArrow || input === 'j') {
			moveTo(cursor + 1);
		} else if (key.pageUp) {
			moveTo(cursor - visible);
		} else if (key.pageDown) {
			moveTo(cursor + visible);
		} else if (key.escape) {
			moveTo(-1);
		} else if (cursor >= 0 && (key.return || input === 'e')) {
			const row = rows[cursor];
			if (row) {
				onEdit(row.key, cursor);
			}
		} else if (cursor < 0 && key.return) {
			onAccept();
		}
	});

	const {cursor, windowStart} = state.current;
	const {labelWidth, valueWidth} = summaryLayout(rows, columns);
	const shown = rows.slice(windowStart, windowStart + visible);
	const ready = rows.filter(row => !row.missing).length;
	const missing = rows.length - ready;
	const current = cursor >= 0 ? rows[cursor] : undefined;
	const lineWidth = Math.max(20, columns) - 1;
	const hint = current
		? textWidth(current.value) > valueWidth
			? current.value
			: current.help
		: missing > 0
			? `${missing} ${missing === 1 ? 'answer has' : 'answers have'} no default and will be asked next.`
			: `${symbols.upDown} to check or change one answer before accepting.`;
	return (
		<Box flexDirection="column">
			<Box>
				<SelectionMarker isSelected={cursor < 0} />
				<Text bold color={cursor < 0 ? colors.selected : undefined}>{`Accept ${ready === 1 ? 'this answer' : `these ${ready} answers`}`}</Text>
				{missing > 0 ? <Text color={colors.muted}>{` ${symbols.separator} ${missing} to answer`}</Text> : null}
			</Box>
			{shown.map((row, offset) => {
				const isCursor = windowStart + offset === cursor;
				return (
					<Box key={row.key}>
						<SelectionMarker isSelected={isCursor} />
						<Box flexShrink={0} width={labelWidth} marginRight={2}>
							<Text color={isCursor ? colors.selected : undefined}>{truncate(row.label, labelWidth)}</Text>
						</Box>
						<Text color={row.missing ? colors.warning : isCursor ? colors.selected : colors.muted}>{truncate(row.value, valueWidth)}</Text>
					</Box>
				);
			})}
			<Text color={colors.muted}>
				{rows.length > visible
					? `${windowStart + 1}${symbols.range}${windowStart + shown.length} of ${rows.length}${windowStart + visible < rows.length ? ` ${symbols.separator} more below` : ''}`
					: ' '}
			</Text>
			<Text color={colors.muted}>{truncate(hint, lineWidth)}</Text>
			<KeyLegend
				keys={
					current
						? [['Enter/e', 'edit'], [symbols.upDown, 'move'], ['Esc', 'to accept'], ['Ctrl-C', 'stop']]
						: [['Enter', 'accept all'], [symbols.upDown, 'move'], ['e', 'edit'], ['Ctrl-C', 'stop']]
				}
			/>
		</Box>
	);
}
