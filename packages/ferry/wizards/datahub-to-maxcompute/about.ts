/** What menus and `ferry --help` show before the wizard loads. */
export const about = {
	id: 'datahub-to-maxcompute',
	title: 'DataHub → MaxCompute',
	description: 'A TUPLE topic matching a MaxCompute table, a DataConnector that syncs it, log records written, the sync watched, verified side by side',
	summary: 'DataHub topic + DataConnector → MaxCompute table, then verify',
	/** For `ferry --help` examples: an answer to set, and a statement for one side of `ferry sql`. */
	examples: {set: 'records=50000', sql: {side: 'target' as const, statement: 'SELECT * FROM test LIMIT 100'}},
};
