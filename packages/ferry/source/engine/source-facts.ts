/**
 * The source facts a saved plan depends on (tables or topics with their columns, row counts and partitions), and
 * what changed between the facts a plan saw and the ones read again before a step that depends on them. Pure.
 */

export type FactColumn = {name: string; type: string; partition?: boolean};
export type FactPartition = {name: string; rows?: number};

/** One object a procedure reads or writes (a table, a topic), as it was when the plan was made. */
export type SourceFact = {
	/** What it is and where, e.g. `Redshift table public.orders`, `DataHub topic log_archive.test`. */
	object: string;
	exists: boolean;
	columns?: FactColumn[];
	rows?: number;
	partitions?: FactPartition[];
};

/** A percentage: a row count may differ from the plan's by this share of it (0: not at all). */
export type RowTolerance = {percent: number};

export type Drift = {object: string; change: string};

function byName<T extends {name: string}>(items: readonly T[] | undefined): Map<string, T> {
	return new Map((items ?? []).map(item => [item.name.toLowerCase(), item]));
}

function rowsDrift(planned: number | undefined, current: number | undefined, tolerance: RowTolerance): string | undefined {
	if (planned === undefined || current === undefined || planned === current) {
		return undefined;
	}

	const allowed = planned * tolerance.percent / 100;
	if (Math.abs(current - planned) <= allowed) {
		return undefined;
	}

	const within = tolerance.percent === 0 ? 'the plan allows no change' : `the plan allows ${tolerance.percent}%`;
	return `${planned.toLocaleString('en-US')} rows when planned, ${current.toLocaleString('en-US')} now (${within})`;
}

function columnsDrift(planned: readonly FactColumn[] | undefined, current: readonly FactColumn[] | undefined): string[] {
	if (planned === undefined || current === undefined) {
		return [];
	}

	const before = byName(planned);
	const after = byName(current);
	const changes: string[] = [];
	for (const column of current) {
		const was = before.get(column.name.toLowerCase());
		if (!was) {
			changes.push(`column ${column.name} ${column.type} added${column.partition ? ' (a partition column)' : ''}`);
		} else if (was.type.toLowerCase() !== column.type.toLowerCase()) {
			changes.push(`column ${column.name} changed type from ${was.type} to ${column.type}`);
		} else if (Boolean(was.partition) !== Boolean(column.partition)) {
			changes.push(`column ${column.name} ${column.partition ? 'became' : 'is no longer'} a partition column`);
		}
	}

	for (const column of planned) {
		if (!after.has(column.name.toLowerCase())) {
			changes.push(`column ${column.name} ${column.type} removed`);
		}
	}

	return changes;
}

function partitionsDrift(planned: readonly FactPartition[] | undefined, current: readonly FactPartition[] | undefined, tolerance: RowTolerance): string[] {
	if (planned === undefined || current === undefined) {
		return [];
	}

	const before = byName(planned);
	const after = byName(current);
	const changes: string[] = [];
	for (const partition of current) {
		const was = before.get(partition.name.toLowerCase());
		if (!was) {
			changes.push(`partition ${partition.name} appeared`);
			continue;
		}

		const rows = rowsDrift(was.rows, partition.rows, tolerance);
		if (rows) {
			changes.push(`partition ${partition.name}: ${rows}`);
		}
	}

	for (const partition of planned) {
		if (!after.has(partition.name.toLowerCase())) {
			changes.push(`partition ${partition.name} disappeared`);
		}
	}

	return changes;
}

/** Every difference between the facts a plan saw and the current ones, in the plan's order; none is no drift. */
export function diffFacts(planned: readonly SourceFact[], current: readonly SourceFact[], tolerance: RowTolerance): Drift[] {
	const now = new Map(current.map(fact => [fact.object, fact]));
	const drift: Drift[] = [];
	for (const fact of planned) {
		const found = now.get(fact.object);
		if (!found) {
			drift.push({object: fact.object, change: 'no longer read by the plan\'s answers'});
			continue;
		}

		if (fact.exists !== found.exists) {
			drift.push({object: fact.object, change: found.exists ? 'now exists (it did not when planned)' : 'no longer exists'});
			continue;
		}

		const rows = rowsDrift(fact.rows, found.rows, tolerance);
		const changes = [...columnsDrift(fact.columns, found.columns), ...(rows ? [rows] : []), ...partitionsDrift(fact.partitions, found.partitions, tolerance)];
		drift.push(...changes.map(change => ({object: fact.object, change})));
	}

	for (const fact of current) {
		if (!planned.some(candidate => candidate.object === fact.object)) {
			drift.push({object: fact.object, change: 'read now but not when planned'});
		}
	}

	return drift;
}

/** The drift as lines a reader can follow: `- Redshift table public.orders: column o_note varchar(20) added`. */
export function driftText(drift: readonly Drift[]): string {
	return drift.map(item => `- ${item.object}: ${item.change}`).join('\n');
}
