/**
 * Text is laid out in terminal columns, not UTF-16 units: a CJK character takes two columns, a combining mark none,
 * an emoji sequence two (issue 18: CJK text wrapped to 31 columns in a 20-column box). Rendered with
 * ink-testing-library at 20 and 60 columns, every line fits, nothing is lost and no character is split.
 */
import test from 'ava';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import type {ReviewDocument} from '../../source/engine/wizard.js';
import {AnswerSummary} from '../../source/ui/answer-summary.js';
import {formatTable} from '../../source/ui/format.js';
import {ReviewScreen} from '../../source/ui/review-screen.js';
import {FinishedStepLine} from '../../source/ui/step-header.js';
import {VerificationTable} from '../../source/ui/verification-table.js';
import {padEnd, textWidth, truncateText, wrapText} from '../../source/ui/wrap-text.js';
import {reportWithDifferences} from './verification-fixture.js';

const cjk = '数据迁移已完成，共有一千二百三十四行数据从红移迁移到了最大计算平台的表格里面';
const mixed = 'Copied 1,234 rows 数据迁移 into 表格名称 and verified 检查通过';
// A skin-toned thumb, a family (a ZWJ sequence), a flag, and e + a combining acute: each is one character on screen.
const emoji = '完成 👍🏽 家庭 👨‍👩‍👧‍👦 日本 🇯🇵 café e\u0301tude';
// NFC first: wrap-ansi (like Ink) normalises, so e + U+0301 may come back as é, the same character on screen.
const graphemes = (text: string) => [...new Intl.Segmenter(undefined, {granularity: 'grapheme'}).segment(text.normalize('NFC'))].map(part => part.segment).filter(segment => segment.trim() !== '');

/**
 * The widest line ferry laid out. ink-testing-library's terminal is 100 columns wide, so Ink wraps nothing narrower
 * itself: a line wider than the component's `columns` is ferry's own measure gone wrong.
 */
function widest(frame: string): number {
	return Math.max(...frame.split('\n').map(line => stringWidth(line)));
}

/** Every grapheme of `text`, in order, in the frame: nothing lost, nothing split across lines. */
function keepsEveryCharacter(frame: string, text: string): boolean {
	return graphemes(frame.replaceAll('\n', '')).join('').includes(graphemes(text).join(''));
}

test('textWidth, wrapText, truncateText and padEnd count columns: CJK two, a combining mark none, an emoji sequence two', t => {
	t.is(textWidth('数据'), 4);
	t.is(textWidth('e\u0301'), 1);
	t.is(textWidth('👨‍👩‍👧‍👦'), 2);
	for (const width of [20, 60]) {
		for (const text of [cjk, mixed, emoji]) {
			const lines = wrapText(text, width);
			t.true(lines.every(line => textWidth(line) <= width), `${width}: ${JSON.stringify(lines)}`);
			t.is(graphemes(lines.join('')).join(''), graphemes(text).join(''), 'nothing lost or split');
		}

		t.true(wrapText(cjk, width).slice(0, -1).every(line => textWidth(line) >= width - 1), 'a CJK line is filled, not cut at half its width');
	}

	t.is(truncateText(cjk, 9), '数据迁移…');
	t.is(textWidth(truncateText(emoji, 12)), 11, 'a two-column character that does not fit is left out whole');
	t.is(truncateText('e\u0301e\u0301e\u0301', 2), 'e\u0301…');
	t.is(padEnd('数据', 6), '数据  ');
	t.is(formatTable(['名称', 'STATE'], [['数据', 'up'], ['ab', 'down']]), '名称  STATE\n数据  up\nab    down\n');
});

for (const columns of [20, 60]) {
	test(`a finished step's CJK and emoji summary wraps within ${columns} columns`, t => {
		for (const summary of [cjk, mixed, emoji]) {
			const {lastFrame} = render(<FinishedStepLine columns={columns} step={{key: 's', index: 3, total: 9, title: '写入记录', outcome: 'done', summary}} />);
			const frame = lastFrame()!;
			t.true(widest(frame) <= columns, `${columns}:\n${frame}`);
			t.true(keepsEveryCharacter(frame, summary), frame);
		}
	});

	test(`the review screen wraps CJK text and table cells within ${columns} columns`, t => {
		const document: ReviewDocument = {
			title: '迁移计划：红移到最大计算',
			sections: [
				{title: '说明', body: `${cjk} ${emoji}`, warnings: ['表格名称包含中文字符，请确认目标项目允许这样的名称']},
				{title: '类型映射', tables: [{columns: ['列名', '红移类型', '最大计算类型'], rows: [{cells: ['订单编号', 'character varying(79)', '字符串'], note: '长度限制不再适用'}, {cells: ['金额', 'numeric(15,2)', 'DECIMAL(15,2)']}]}]},
			],
		};
		const {lastFrame} = render(<ReviewScreen document={document} height={200} columns={columns} onAnswer={() => undefined} />);
		// The question and its keys (the last two lines) are left to Ink to wrap at the terminal's width.
		const frame = lastFrame()!.split('\n').slice(0, -2).join('\n');
		t.true(widest(frame) <= columns, `${columns}:\n${frame}`);
		t.true(keepsEveryCharacter(frame, cjk), frame);
		t.true(keepsEveryCharacter(frame, emoji), frame);
		t.true(frame.includes('长度限制不再适用') || keepsEveryCharacter(frame, '长度限制不再适用'), frame);
	});

	test(`the answer summary cuts CJK labels and values to ${columns} columns, never half a character`, t => {
		const rows = [
			{key: 'table', label: '目标表格名称', value: cjk, help: '表格的名称', missing: false},
			{key: 'topic', label: 'DataHub 主题', value: emoji, help: '主题', missing: false},
		];
		const {lastFrame} = render(<AnswerSummary rows={rows} height={12} columns={columns} onAccept={() => undefined} onEdit={() => undefined} />);
		// The accept line and the key legend (first and last) are left to Ink to wrap at the terminal's width.
		const frame = lastFrame()!.split('\n').slice(1, -1).join('\n');
		t.true(widest(frame) <= columns, `${columns}:\n${frame}`);
		t.regex(frame, columns === 20 ? / {2}目标表格… {3}数据…\n/ : /数据迁移已完成，共有/, 'a label cut to its column, a value to the rest');
		t.notRegex(frame, /\uFFFD/, 'no broken character');
	});
}

test('the verification table measures CJK check titles and values at 60 columns', t => {
	const report = reportWithDifferences();
	const [first] = report.comparisons;
	first!.title = `行数检查：${cjk}`;
	const {lastFrame} = render(<VerificationTable report={report} columns={60} />);
	const frame = lastFrame()!;
	t.true(widest(frame) <= 60, frame);
	t.regex(frame, /行数检查/);
});
