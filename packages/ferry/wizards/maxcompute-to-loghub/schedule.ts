/**
 * "Schedule the task" (step 3 of the procedure): a cycle that matches the partition's, as the procedure recommends
 * ("set the scheduling cycle the same as the partition generation cycle"). The partition the user names shows the
 * pattern; the scheduled job reads the partition of each instance through a scheduling parameter. DataWorks facts
 * (UpdateFile in aliyun/alibabacloud-typescript-sdk dataworks-public-20200518; "Supported formats of scheduling
 * parameters", doc-detail/137548): the business date is the day before the scheduled time; `$bizdate` is it as
 * yyyymmdd, `${yyyy-mm-dd}` in another format, `$[yyyymmddhh24-1/24]` the hour before the scheduled time; cron
 * expressions are `ss mm HH dd MM ?`, at most every 5 minutes and no earlier than 00:05.
 */
export type Cycle = {
	kind: 'daily' | 'hourly';
	cycleType: 'DAY' | 'NOT_DAY';
	cronExpress: string;
	/** UpdateFile ParaValue: the parameter the job's partition names, and its value. */
	paraValue: string;
	/** The reader's partition in the scheduled job, e.g. `pt=${bizdate}`. */
	partition: string;
	/** The partition value an instance reads, from its business date and cycle time (epoch ms). */
	valueFor(instance: {bizdate: number; cycTime: number}): string;
};

const cstOffsetMs = 8 * 3_600_000;
const pad = (value: number) => String(value).padStart(2, '0');

function cst(epochMs: number): {year: number; month: string; day: string; hour: string} {
	const time = new Date(epochMs + cstOffsetMs);
	return {year: time.getUTCFullYear(), month: pad(time.getUTCMonth() + 1), day: pad(time.getUTCDate()), hour: pad(time.getUTCHours())};
}

/** `pt=20161226` → daily at 00:30 with `pt=${bizdate}`; `pt=2016-12-26` likewise dashed; `pt=2016122613` → hourly, the hour before. */
export function cycleFor(partition: string): Cycle | {problem: string} {
	const [column = '', value = ''] = partition.split('=');
	if (/^\d{8}$/.test(value)) {
		return {
			kind: 'daily', cycleType: 'DAY', cronExpress: '00 30 00 * * ?', paraValue: 'bizdate=$bizdate', partition: `${column}=\${bizdate}`,
			valueFor: ({bizdate}) => {
				const time = cst(bizdate);
				return `${time.year}${time.month}${time.day}`;
			},
		};
	}

	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
		return {
			kind: 'daily', cycleType: 'DAY', cronExpress: '00 30 00 * * ?', paraValue: 'bizdate_dashed=${yyyy-mm-dd}', partition: `${column}=\${bizdate_dashed}`,
			valueFor: ({bizdate}) => {
				const time = cst(bizdate);
				return `${time.year}-${time.month}-${time.day}`;
			},
		};
	}

	if (/^\d{10}$/.test(value)) {
		return {
			kind: 'hourly', cycleType: 'NOT_DAY', cronExpress: '00 10 00-23/1 * * ?', paraValue: 'last_hour=$[yyyymmddhh24-1/24]', partition: `${column}=\${last_hour}`,
			valueFor: ({cycTime}) => {
				const time = cst(cycTime - 3_600_000);
				return `${time.year}${time.month}${time.day}${time.hour}`;
			},
		};
	}

	return {problem: `the partition value ${JSON.stringify(value)} is not a day (yyyymmdd or yyyy-mm-dd) or an hour (yyyymmddhh), so ferry cannot tell its cycle`};
}
