/** What menus and `ferry --help` show before the wizard loads. */
export const about = {
	id: 'maxcompute-to-loghub',
	title: 'MaxCompute → Log Service',
	description: 'A DataWorks batch sync (odps reader → LogHub writer) built, run and watched, then verified in Log Service side by side',
	summary: 'DataWorks batch sync MaxCompute → Log Service (LogHub), then verify',
	/** For `ferry --help` examples: an answer to set, and a statement for one side of `ferry sql`. */
	examples: {set: 'partition=pt=20161226', sql: {side: 'source' as const, statement: 'SELECT COUNT(*) FROM ak_biz_log_detail WHERE pt="20161226"'}},
};
