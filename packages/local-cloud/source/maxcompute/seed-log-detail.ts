/**
 * The procedure's example table on the local MaxCompute, so the MaxCompute → Log Service procedure runs with no input:
 * `ak_biz_log_detail` with columns col0…col5 and a `time_str` column written `yyyy_MM_dd HH:mm:ss`, partition
 * pt=20161226. Values cover every type the LogHub writer converts, NULLs, quotes, newlines and non-ASCII text.
 * Seeded once: an existing table is left as it is.
 */
import type {MaxComputeClient} from 'ferry/clouds/maxcompute/client';

export const logDetailTable = 'ak_biz_log_detail';
export const logDetailPartition = '20161226';
export const logDetailRows = 1000;

const pages = ['/index.html', '/item/1024', '/cart', '/checkout', '/search?q=ferry', '/user/login'];
const agents = ['Mozilla/5.0 "desktop"', 'curl/8.4.0', 'Mozilla/5.0 (iPhone) 移动端', 'bot\nmulti-line'];

function quote(text: string): string {
	return `'${text.replaceAll('\\', '\\\\').replaceAll('\'', '\\\'').replaceAll('\n', '\\n').replaceAll(';', '\\;')}'`;
}

function row(index: number): string {
	const second = index * 37 % 86_400;
	const two = (value: number) => String(value).padStart(2, '0');
	const time = `2016_12_26 ${two(Math.floor(second / 3600))}:${two(Math.floor(second / 60) % 60)}:${two(second % 60)}`;
	const nullable = (value: string) => (index % 50 === 7 ? 'NULL' : value);
	return `(${[
		quote(`u${String(index % 97).padStart(4, '0')}`),
		String(512 + (index * 7919 % 100_000)),
		nullable(((index * 131) % 10_000 / 8).toFixed(3)),
		`CAST(${((index * 977) % 1_000_000 / 100).toFixed(2)} AS DECIMAL(18,2))`,
		index % 3 === 0 ? 'false' : 'true',
		nullable(quote(`${pages[index % pages.length]} ${agents[index % agents.length]}`)),
		quote(time),
	].join(', ')})`;
}

/** Creates and fills the table unless it exists. */
export async function seedLogDetailTable(client: MaxComputeClient, signal?: AbortSignal): Promise<boolean> {
	if (await client.tableExists(logDetailTable, signal ? {signal} : {})) {
		return false;
	}

	const settings = {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'};
	await client.runSql(`CREATE TABLE IF NOT EXISTS ${logDetailTable} (col0 STRING, col1 BIGINT, col2 DOUBLE, col3 DECIMAL(18,2), col4 BOOLEAN, col5 STRING, time_str STRING) PARTITIONED BY (pt STRING);`, {settings, ...(signal ? {signal} : {})});
	for (let start = 0; start < logDetailRows; start += 250) {
		const values = Array.from({length: Math.min(250, logDetailRows - start)}, (_, offset) => row(start + offset));
		await client.runSql(`INSERT INTO ${logDetailTable} PARTITION (pt='${logDetailPartition}') VALUES ${values.join(', ')};`, {settings, ...(signal ? {signal} : {})});
	}

	return true;
}
