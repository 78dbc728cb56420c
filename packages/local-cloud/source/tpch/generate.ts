/**
 * Row generation by the rules of TPC-H v3, clause 4.2.3. Each row (each order with its lines, each
 * part with its four partsupp rows) draws from its own seeded sequence, so output depends only on the
 * scale factor. Values are yielded as text in column order: dates `YYYY-MM-DD`, decimals `0.00`.
 */
import {UsageError} from 'ferry/engine/errors';
import {
	containerSyllables,
	marketSegments,
	nations,
	orderPriorities,
	partNameWords,
	partTypeSyllables,
	regionNames,
	shipInstructions,
	shipModes,
} from './dictionaries.js';
import {dayNumber, formatCents, formatDate} from './format.js';
import {RowRandom, drawOnce} from './random.js';
import {linesInOrder, orderKeyAt, streams, supplierOfPart, suppliersPerPart, tpchScale, type TpchScale} from './scale.js';
import {isTpchTableName, tpchTableNames, type TpchTableName} from './schema.js';
import {randomText, randomVString} from './text.js';

export type TpchRow = Array<string | null>;

const startDate = dayNumber(1992, 1, 1);
const endDate = dayNumber(1998, 12, 31);
/** The specification's CURRENTDATE, which splits returned/open lines from the rest. */
const currentDate = dayNumber(1995, 6, 17);
/** Orders stop 151 days before ENDDATE so that every line is received by ENDDATE (121 + 30 days). */
const lastOrderDate = endDate - 151;

/** Every 2,000 suppliers, one comment mentions customer complaints and another recommendations (Q16). */
const supplierNoteBlock = 2000;

function keyName(prefix: string, key: number): string {
	return `${prefix}#${String(key).padStart(9, '0')}`;
}

function phoneNumber(random: RowRandom, nationKey: number): string {
	return `${nationKey + 10}-${random.int(100, 999)}-${random.int(100, 999)}-${random.int(1000, 9999)}`;
}

function* regionRows(): Generator<TpchRow> {
	const random = new RowRandom();
	for (const [key, name] of regionNames.entries()) {
		random.seed(streams.region, key);
		yield [String(key), name, randomText(random, 31, 115)];
	}
}

function* nationRows(): Generator<TpchRow> {
	const random = new RowRandom();
	for (const [key, [name, regionKey]] of nations.entries()) {
		random.seed(streams.nation, key);
		yield [String(key), name, String(regionKey), randomText(random, 31, 114)];
	}
}

function supplierNote(supplierKey: number, suppliers: number): 'Complaints' | 'Recommends' | undefined {
	const block = Math.floor((supplierKey - 1) / supplierNoteBlock);
	if (block >= Math.floor(suppliers / supplierNoteBlock)) {
		return undefined;
	}

	const position = (supplierKey - 1) % supplierNoteBlock;
	const complaints = drawOnce(streams.supplierNote, block * 2, 0, supplierNoteBlock - 1);
	const recommends = (complaints + 1 + drawOnce(streams.supplierNote, block * 2 + 1, 0, supplierNoteBlock - 2)) % supplierNoteBlock;
	if (position === complaints) {
		return 'Complaints';
	}

	return position === recommends ? 'Recommends' : undefined;
}

/** Overwrites part of a comment with `Customer …Complaints` (or Recommends), keeping its length. */
function withCustomerNote(random: RowRandom, comment: string, note: string): string {
	const gap = random.int(0, 6);
	const noteLength = 'Customer '.length + gap + note.length;
	const position = random.int(0, comment.length - noteLength);
	const filler = comment.slice(position + 'Customer '.length, position + 'Customer '.length + gap);
	return `${comment.slice(0, position)}Customer ${filler}${note}${comment.slice(position + noteLength)}`;
}

function* supplierRows(scale: TpchScale): Generator<TpchRow> {
	const random = new RowRandom();
	for (let key = 1; key <= scale.suppliers; key++) {
		random.seed(streams.supplier, key);
		const address = randomVString(random, 10, 40);
		const nationKey = random.int(0, nations.length - 1);
		const phone = phoneNumber(random, nationKey);
		const balance = random.int(-99_999, 999_999);
		let comment = randomText(random, 25, 100);
		const note = supplierNote(key, scale.suppliers);
		if (note !== undefined) {
			comment = withCustomerNote(random, comment, note);
		}

		yield [String(key), keyName('Supplier', key), address, String(nationKey), phone, formatCents(balance), comment];
	}
}

function* customerRows(scale: TpchScale): Generator<TpchRow> {
	const random = new RowRandom();
	for (let key = 1; key <= scale.customers; key++) {
		random.seed(streams.customer, key);
		const address = randomVString(random, 10, 40);
		const nationKey = random.int(0, nations.length - 1);
		yield [
			String(key),
			keyName('Customer', key),
			address,
			String(nationKey),
			phoneNumber(random, nationKey),
			formatCents(random.int(-99_999, 999_999)),
			random.pick(marketSegments),
			randomText(random, 29, 116),
		];
	}
}

/** P_RETAILPRICE of clause 4.2.3, in cents: 90000 + ((key / 10) mod 20001) + 100 × (key mod 1000). */
function retailPriceCents(partKey: number): number {
	return 90_000 + (Math.floor(partKey / 10) % 20_001) + 100 * (partKey % 1000);
}

function partName(random: RowRandom): string {
	const chosen: number[] = [];
	while (chosen.length < 5) {
		const word = random.int(0, partNameWords.length - 1);
		if (!chosen.includes(word)) {
			chosen.push(word);
		}
	}

	return chosen.map(word => partNameWords[word]).join(' ');
}

function* partRows(scale: TpchScale): Generator<TpchRow> {
	const random = new RowRandom();
	for (let key = 1; key <= scale.parts; key++) {
		random.seed(streams.part, key);
		const name = partName(random);
		const manufacturer = random.int(1, 5);
		const brand = random.int(1, 5);
		const type = partTypeSyllables.map(syllables => random.pick(syllables)).join(' ');
		const size = random.int(1, 50);
		const container = containerSyllables.map(syllables => random.pick(syllables)).join(' ');
		yield [
			String(key),
			name,
			`Manufacturer#${manufacturer}`,
			`Brand#${manufacturer}${brand}`,
			type,
			String(size),
			container,
			formatCents(retailPriceCents(key)),
			randomText(random, 5, 22),
		];
	}
}

function* partsuppRows(scale: TpchScale): Generator<TpchRow> {
	const random = new RowRandom();
	for (let partKey = 1; partKey <= scale.parts; partKey++) {
		random.seed(streams.partsupp, partKey);
		const partKeyText = String(partKey);
		for (let choice = 0; choice < suppliersPerPart; choice++) {
			yield [
				partKeyText,
				String(supplierOfPart(partKey, choice, scale.suppliers)),
				String(random.int(1, 9999)),
				formatCents(random.int(100, 100_000)),
				randomText(random, 49, 198),
			];
		}
	}
}

/**
 * One third of the customers never order (keys divisible by 3); drawing an index among the others and
 * mapping it onto their keys keeps every order to a fixed number of draws.
 */
function orderingCustomer(random: RowRandom, customers: number): number {
	const index = random.int(0, customers - Math.floor(customers / 3) - 1);
	return index + Math.floor(index / 2) + 1;
}

/**
 * The money an order line contributes to O_TOTALPRICE, in cents: extendedprice × (1 − discount) ×
 * (1 + tax), truncating after each factor the way dbgen's integer arithmetic does.
 */
function lineChargeCents(extendedPriceCents: number, discountCents: number, taxCents: number): number {
	const discounted = Math.floor((extendedPriceCents * (100 - discountCents)) / 100);
	return Math.floor((discounted * (100 + taxCents)) / 100);
}

type OrderWithLines = {order: TpchRow; lines: TpchRow[]};

/** Orders need their lines' money and dates too; `withLineRows` only decides whether line text is built. */
function* ordersWithLines(scale: TpchScale, withLineRows: boolean): Generator<OrderWithLines> {
	const random = new RowRandom();
	for (let orderNumber = 1; orderNumber <= scale.orders; orderNumber++) {
		random.seed(streams.orders, orderNumber);
		const orderKey = String(orderKeyAt(orderNumber));
		const customerKey = orderingCustomer(random, scale.customers);
		const orderDate = random.int(startDate, lastOrderDate);
		const priority = random.pick(orderPriorities);
		const clerk = keyName('Clerk', random.int(1, scale.clerks));
		const comment = randomText(random, 19, 78);

		const lineCount = linesInOrder(orderNumber);
		const lines: TpchRow[] = [];
		let totalCents = 0;
		let shippedLines = 0;
		for (let lineNumber = 1; lineNumber <= lineCount; lineNumber++) {
			const partKey = random.int(1, scale.parts);
			const supplierKey = supplierOfPart(partKey, random.int(0, suppliersPerPart - 1), scale.suppliers);
			const quantity = random.int(1, 50);
			const extendedPrice = quantity * retailPriceCents(partKey);
			const discount = random.int(0, 10);
			const tax = random.int(0, 8);
			const shipDate = orderDate + random.int(1, 121);
			const commitDate = orderDate + random.int(30, 90);
			const receiptDate = shipDate + random.int(1, 30);
			const returnFlag = receiptDate <= currentDate ? (random.int(0, 1) === 0 ? 'R' : 'A') : 'N';
			const lineStatus = shipDate > currentDate ? 'O' : 'F';
			const instruction = random.pick(shipInstructions);
			const mode = random.pick(shipModes);
			const lineComment = randomText(random, 10, 43);
			if (lineStatus === 'F') {
				shippedLines++;
			}

			totalCents += lineChargeCents(extendedPrice, discount, tax);
			if (withLineRows) {
				lines.push([
					orderKey,
					String(partKey),
					String(supplierKey),
					String(lineNumber),
					`${quantity}.00`,
					formatCents(extendedPrice),
					formatCents(discount),
					formatCents(tax),
					returnFlag,
					lineStatus,
					formatDate(shipDate),
					formatDate(commitDate),
					formatDate(receiptDate),
					instruction,
					mode,
					lineComment,
				]);
			}
		}

		const status = shippedLines === lineCount ? 'F' : shippedLines === 0 ? 'O' : 'P';
		const order = [orderKey, String(customerKey), status, formatCents(totalCents), formatDate(orderDate), priority, clerk, '0', comment];
		yield {order, lines};
	}
}

function* orderRows(scale: TpchScale): Generator<TpchRow> {
	for (const {order} of ordersWithLines(scale, false)) {
		yield order;
	}
}

function* lineitemRows(scale: TpchScale): Generator<TpchRow> {
	for (const {lines} of ordersWithLines(scale, true)) {
		yield* lines;
	}
}

const generators: Record<TpchTableName, (scale: TpchScale) => Generator<TpchRow>> = {
	region: regionRows,
	nation: nationRows,
	supplier: supplierRows,
	customer: customerRows,
	part: partRows,
	partsupp: partsuppRows,
	orders: orderRows,
	lineitem: lineitemRows,
};

/** Throws a UsageError naming the valid tables when `table` is not one of them. */
export function requireTpchTableName(table: string): TpchTableName {
	if (!isTpchTableName(table)) {
		throw new UsageError(`There is no TPC-H table named ${JSON.stringify(table)}`, {
			hint: `Use one of ${tpchTableNames.join(', ')}.`,
		});
	}

	return table;
}

/** The rows of one table at scale factor `scaleFactor`, values as text in column order. */
export function generateRows(table: string, scaleFactor: number): Generator<TpchRow> {
	const name = requireTpchTableName(table);
	return generators[name](tpchScale(scaleFactor));
}
