import test from 'ava';
import {encodeCsvField, encodeCsvRecord, generateCsv, generateRows, tpchTableNames} from '../../source/tpch/index.js';

/** A reader with PostgreSQL's CSV rules: quoted fields may hold anything, an unquoted empty field is NULL. */
function parseCsv(text: string): Array<Array<string | null>> {
	const records: Array<Array<string | null>> = [];
	let record: Array<string | null> = [];
	let position = 0;
	while (position < text.length) {
		let field: string | null;
		if (text[position] === '"') {
			field = '';
			position++;
			for (;;) {
				const quote = text.indexOf('"', position);
				if (quote < 0) {
					throw new Error('unterminated quoted field');
				}

				field += text.slice(position, quote);
				if (text[quote + 1] === '"') {
					field += '"';
					position = quote + 2;
				} else {
					position = quote + 1;
					break;
				}
			}
		} else {
			let end = position;
			while (end < text.length && text[end] !== ',' && text[end] !== '\n') {
				end++;
			}

			field = end === position ? null : text.slice(position, end);
			position = end;
		}

		record.push(field);
		const separator = text[position];
		position++;
		if (separator === '\n') {
			records.push(record);
			record = [];
		} else if (separator !== ',') {
			throw new Error(`unexpected ${JSON.stringify(separator)} at ${position - 1}`);
		}
	}

	if (record.length > 0) {
		throw new Error('last record has no newline');
	}

	return records;
}

test('fields are quoted exactly when PostgreSQL CSV needs it', t => {
	t.is(encodeCsvField('plain text, with comma'), '"plain text, with comma"');
	t.is(encodeCsvField('say "hi"'), '"say ""hi"""');
	t.is(encodeCsvField('two\nlines'), '"two\nlines"');
	t.is(encodeCsvField('carriage\rreturn'), '"carriage\rreturn"');
	t.is(encodeCsvField(''), '""');
	t.is(encodeCsvField(null), '');
	t.is(encodeCsvField('\\.'), '"\\."');
	t.is(encodeCsvField(' padded '), ' padded ');
	t.is(encodeCsvField('1995-06-17'), '1995-06-17');
	t.is(encodeCsvRecord(['1', null, '', 'a,b']), '1,,"","a,b"\n');
});

test('tricky values survive a round trip through the encoder and a CSV reader', t => {
	const rows = [
		['a,b', '"quoted"', 'line\nbreak', '', null, '\\.', 'trailing ', 'crlf\r\n'],
		['"', ',', '""', 'x', null, null, 'ünïcödé', '1'],
	];
	t.deepEqual(parseCsv(rows.map(row => encodeCsvRecord(row)).join('')), rows);
});

test('the CSV of every table at SF 0.01 parses back to exactly the generated rows', t => {
	for (const table of tpchTableNames) {
		const parsed = parseCsv([...generateCsv(table, 0.01)].join(''));
		t.deepEqual(parsed, [...generateRows(table, 0.01)], table);
	}
});

test('chunks hold whole records and stay near the requested size', t => {
	const chunks = [...generateCsv('customer', 0.01, {chunkCharacters: 10_000})];
	t.true(chunks.length > 10);
	for (const chunk of chunks) {
		t.true(chunk.endsWith('\n'));
		t.true(chunk.length < 10_000 + 400);
	}

	t.is(chunks.join(''), [...generateCsv('customer', 0.01)].join(''));
	const addressesWithCommas = parseCsv(chunks.join('')).filter(row => row[2]?.includes(','));
	t.true(addressesWithCommas.length > 100, 'addresses contain commas, so quoting is exercised');
});
