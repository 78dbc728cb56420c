export function median(values: readonly number[]): number {
	if (values.length === 0) {
		throw new RangeError('The median of no values is undefined');
	}

	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function milliseconds(value: number): string {
	return `${value.toFixed(1)} ms`;
}

export function seconds(milliseconds: number): string {
	return `${(milliseconds / 1000).toFixed(2)} s`;
}
