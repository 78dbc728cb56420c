/** What menus and `ferry --help` show before the wizard loads. */
export const about = {
	id: 'maxcompute-to-loghub',
	title: 'MaxCompute → Log Service',
	description: 'A DataWorks batch sync (odps reader → LogHub writer) built, run and watched, then verified in Log Service side by side',
	summary: 'DataWorks batch sync MaxCompute → Log Service (LogHub), then verify',
};
