import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
import type {ReviewDocument} from '../engine/wizard.js';
import {KeyLegend} from './key-legend.js';
import {type TableLine, tableLines} from './review-table.js';
import {colors, symbols} from './theme.js';
import {wrapText} from './wrap-text.js';

type ReviewLine = {text: string; tone: 'title' | 'section' | 'body' | 'code' | 'warning' | 'blank' | TableLine['tone']; marked?: boolean};

/** The document as display lines at a width, so the screen knows how far it can scroll. */
export function reviewLines(document: ReviewDocument, columns: number): ReviewLine[] {
	const width = Math.max(20, columns);
	const lines: ReviewLine[] = wrapText(document.title, width).map(text => ({text, tone: 'title'}));
	for (const section of document.sections) {
		lines.push({text: '', tone: 'blank'});
		lines.push(...wrapText(section.title, width).map(text => ({text, tone: 'section' as const})));
		if (section.body) {
			lines.push(...wrapText(section.body, width).map(text => ({text, tone: 'body' as const})));
		}

		for (const table of section.tables ?? []) {
			lines.push({text: '', tone: 'blank'}, ...tableLines(table, width));
		}

		if (section.code) {
			// Code keeps its own line breaks; only lines wider than the screen wrap.
			for (const codeLine of section.code.replace(/\n+$/, '').split('\n')) {
				lines.push(...wrapText(`  ${codeLine}`, width).map(text => ({text, tone: 'code' as const})));
			}
		}

		for (const warning of section.warnings ?? []) {
			const [first, ...rest] = wrapText(warning, width - 2);
			lines.push({text: `${symbols.warning} ${first ?? ''}`, tone: 'warning'});
			lines.push(...rest.map(text => ({text: `  ${text}`, tone: 'warning' as const})));
		}
	}

	return lines;
}

const toneStyle = {
	title: {bold: true, color: undefined},
	section: {bold: true, color: colors.accent},
	body: {bold: false, color: undefined},
	code: {bold: false, color: colors.muted},
	warning: {bold: false, color: colors.warning},
	blank: {bold: false, color: undefined},
	caption: {bold: true, color: undefined},
	header: {bold: true, color: colors.muted},
	row: {bold: false, color: undefined},
	note: {bold: false, color: colors.warning},
} as const;

export type ReviewScreenProps = {
	document: ReviewDocument;
	/** Rows available for the document itself. */
	height: number;
	columns: number;
	onAnswer(proceed: boolean): void;
};

/** The plan before anything changes a cloud: scrollable, then "Proceed? (y/N)". Only `y` proceeds. */
export function ReviewScreen({document, height, columns, onAnswer}: ReviewScreenProps) {
	const lines = reviewLines(document, columns);
	const viewport = Math.max(3, height);
	const maxTop = Math.max(0, lines.length - viewport);
	const [top, setTop] = useState(0);
	// Functional updates: several keys in one chunk each build on the last.
	const scrollBy = (delta: number) => {
		setTop(previous => Math.min(maxTop, Math.max(0, previous + delta)));
	};

	useInput((input, key) => {
		if (key.upArrow || input === 'k') {
			scrollBy(-1);
		} else if (key.downArrow || input === 'j') {
			scrollBy(1);
		} else if (key.pageUp) {
			scrollBy(1 - viewport);
		} else if (key.pageDown || input === ' ') {
			scrollBy(viewport - 1);
		} else if (key.home) {
			scrollBy(-lines.length);
		} else if (key.end) {
			scrollBy(lines.length);
		} else if (input.toLowerCase() === 'y') {
			onAnswer(true);
		} else if (input.toLowerCase() === 'n' || key.return || key.escape) {
			onAnswer(false);
		}
	});

	const shown = lines.slice(top, top + viewport);
	const scrollable = lines.length > viewport;
	return (
		<Box flexDirection="column">
			{shown.map((line, index) => (
				<Text key={top + index} bold={toneStyle[line.tone].bold} color={toneStyle[line.tone].color}>
					{line.marked ? <Text color={colors.warning}>{line.text.slice(0, 1)}</Text> : null}
					{line.text === '' ? ' ' : line.marked ? line.text.slice(1) : line.text}
				</Text>
			))}
			{scrollable ? (
				<Text color={colors.muted}>{`lines ${top + 1}${symbols.range}${top + shown.length} of ${lines.length} ${symbols.separator} ${top < maxTop ? 'more below' : 'end'}`}</Text>
			) : null}
			<Text>
				<Text bold>Proceed?</Text>
				<Text color={colors.muted}> (y/N)</Text>
			</Text>
			<KeyLegend keys={[...(scrollable ? ([[`${symbols.upDown} PgUp PgDn`, 'scroll']] as Array<[string, string]>) : []), ['y', 'proceed'], ['n/Enter', 'stop here']]} />
		</Box>
	);
}
