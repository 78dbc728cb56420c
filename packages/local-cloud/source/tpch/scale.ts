/**
 * Table cardinalities at a scale factor (TPC-H v3, clause 4.2.5) and the two rules that fix how many
 * rows exist: sparse order keys and the number of lines of each order.
 */
import {UsageError} from 'ferry/engine/errors';
import {drawOnce} from './random.js';
import type {TpchTableName} from './schema.js';

export type TpchScale = {
	scaleFactor: number;
	suppliers: number;
	customers: number;
	parts: number;
	orders: number;
	clerks: number;
};

/** Stream numbers of the per-row random sequences; fixed forever, since they decide every value. */
export const streams = {
	region: 1,
	nation: 2,
	supplier: 3,
	customer: 4,
	part: 5,
	partsupp: 6,
	orders: 7,
	lineCount: 8,
	supplierNote: 9,
} as const;

export const suppliersPerPart = 4;

/** The spec's bases are whole numbers and scale factors short decimals, so round off binary noise. */
function scaled(base: number, scaleFactor: number): number {
	return Math.floor(base * scaleFactor + 1e-6);
}

/** The step between the four suppliers of part `partKey` (clause 4.2.3, PS_SUPPKEY). */
export function supplierStride(partKey: number, suppliers: number): number {
	return Math.floor(suppliers / suppliersPerPart) + Math.floor((partKey - 1) / suppliers);
}

/** ps_suppkey / l_suppkey of the `choice`-th (0..3) supplier of a part. */
export function supplierOfPart(partKey: number, choice: number, suppliers: number): number {
	return ((partKey + choice * supplierStride(partKey, suppliers)) % suppliers) + 1;
}

/**
 * At very small scale factors the specification's formula can give one part the same supplier twice,
 * which breaks the partsupp primary key; such scale factors are refused.
 */
function hasDistinctSuppliers(parts: number, suppliers: number): boolean {
	const largestQuotient = Math.floor((parts - 1) / suppliers);
	for (let quotient = 0; quotient <= largestQuotient; quotient++) {
		const stride = Math.floor(suppliers / suppliersPerPart) + quotient;
		for (let distance = 1; distance < suppliersPerPart; distance++) {
			if ((distance * stride) % suppliers === 0) {
				return false;
			}
		}
	}

	return true;
}

export function tpchScale(scaleFactor: number): TpchScale {
	if (!Number.isFinite(scaleFactor) || scaleFactor <= 0) {
		throw new UsageError(`The TPC-H scale factor must be a positive number, not ${scaleFactor}`, {
			hint: 'Use e.g. 0.01 (about 87,000 rows in all), 0.1 or 1.',
		});
	}

	const scale: TpchScale = {
		scaleFactor,
		suppliers: scaled(10_000, scaleFactor),
		customers: scaled(150_000, scaleFactor),
		parts: scaled(200_000, scaleFactor),
		orders: scaled(1_500_000, scaleFactor),
		clerks: Math.max(1, scaled(1000, scaleFactor)),
	};
	if (scale.suppliers < suppliersPerPart || !hasDistinctSuppliers(scale.parts, scale.suppliers)) {
		throw new UsageError(`The TPC-H scale factor ${scaleFactor} is too small to give every part four distinct suppliers`, {
			hint: 'Use a scale factor of 0.01 or more.',
		});
	}

	if (scale.orders * 32 > Number.MAX_SAFE_INTEGER / 8) {
		throw new UsageError(`The TPC-H scale factor ${scaleFactor} is too large`, {hint: 'Use a scale factor up to 100,000.'});
	}

	return scale;
}

/** dbgen's sparse keys: of every 32 consecutive keys only the first 8 are used (1–7, 32–39, 64–71, …). */
export function orderKeyAt(orderNumber: number): number {
	return Math.floor(orderNumber / 8) * 32 + (orderNumber % 8);
}

/** How many lines (1–7) order number `orderNumber` (1-based) has; a stream of its own so counting is cheap. */
export function linesInOrder(orderNumber: number): number {
	return drawOnce(streams.lineCount, orderNumber, 1, 7);
}

/** Exact row counts; lineitem is summed over the orders' line counts without generating any row. */
export function tpchRowCounts(scaleFactor: number): Record<TpchTableName, number> {
	const scale = tpchScale(scaleFactor);
	let lineitems = 0;
	for (let orderNumber = 1; orderNumber <= scale.orders; orderNumber++) {
		lineitems += linesInOrder(orderNumber);
	}

	return {
		region: 5,
		nation: 25,
		supplier: scale.suppliers,
		customer: scale.customers,
		part: scale.parts,
		partsupp: scale.parts * suppliersPerPart,
		orders: scale.orders,
		lineitem: lineitems,
	};
}
