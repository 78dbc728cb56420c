/** Maps items with at most `limit` promises in flight, keeping the order of the results. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, map: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = Array.from({length: items.length});
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await map(items[index]!, index);
		}
	};

	await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, async () => worker()));
	return results;
}
