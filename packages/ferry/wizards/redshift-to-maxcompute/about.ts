/** What menus and `ferry --help` show before the wizard loads. */
export const about = {
	id: 'redshift-to-maxcompute',
	title: 'Amazon Redshift → MaxCompute',
	description: 'UNLOAD to S3 as Parquet, move S3 → OSS, create tables, LOAD into MaxCompute, verify side by side',
	summary: 'Redshift UNLOAD → S3 → OSS → MaxCompute LOAD, then verify',
	/** For `ferry --help` examples: an answer to set, and a statement for one side of `ferry sql`. */
	examples: {set: 'tables=orders,lineitem', sql: {side: 'target' as const, statement: 'SELECT * FROM orders LIMIT 100'}},
};
