/** One line of a benchmark's human-readable report. */
export type Report = (line: string) => void;

/**
 * A benchmark that `test/bench/run.ts` can select by name. `run` prints its figures through `report` and returns
 * them as data for `--json`.
 */
export type Benchmark = {
	name: string;
	title: string;
	run: (report: Report) => Promise<unknown>;
};
