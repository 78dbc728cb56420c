import {cp, mkdtemp, readdir, rm, stat} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {OdpsError, openMaxComputeEngine, type MaxComputeEngine, type OssReader} from '../../../source/maxcompute/engine/index.js';

export const project = 'ferry_test';
export const region = 'ap-southeast-1';
export const owner = 'ALIYUN$ferry@local';
export const endpoint = `oss-${region}-internal.aliyuncs.com`;
export const odps2 = {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'};
export const nativeParquet = {...odps2, 'odps.ext.parquet.native': 'true'};

async function listFiles(directory: string): Promise<string[]> {
	const entries = await readdir(directory, {withFileTypes: true});
	const files = await Promise.all(
		entries.map(async entry => {
			const full = path.join(directory, entry.name);
			return entry.isDirectory() ? listFiles(full) : [full];
		}),
	);
	return files.flat();
}

/** Test double for the OSS stand-in: buckets are directories under `root`. */
export function directoryOssReader(root: string): OssReader & {calls: {roleArn: string | undefined}[]} {
	const calls: {roleArn: string | undefined}[] = [];
	return {
		calls,
		async fetchLocation(location, roleArn, targetDir) {
			calls.push({roleArn});
			const bucketDir = path.join(root, location.bucket);
			const exists = await stat(bucketDir).then(() => true, () => false);
			if (!exists) throw new OdpsError('userDefinedFunction', `NoSuchBucket: ${location.bucket}`);
			const source = path.join(bucketDir, location.prefix);
			await cp(source, targetDir, {recursive: true});
			return listFiles(targetDir);
		},
	};
}

export type Fixture = {
	dir: string;
	ossRoot: string;
	engine: MaxComputeEngine;
	reopen(): Promise<MaxComputeEngine>;
	cleanup(): Promise<void>;
};

export async function createFixture(): Promise<Fixture> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'ferry-mc-engine-'));
	const ossRoot = path.join(dir, 'oss');
	const options = {dataDir: path.join(dir, 'data'), project, region, owner, oss: directoryOssReader(ossRoot)};
	const fixture: Fixture = {
		dir,
		ossRoot,
		engine: await openMaxComputeEngine(options),
		async reopen() {
			await fixture.engine.close();
			fixture.engine = await openMaxComputeEngine(options);
			return fixture.engine;
		},
		async cleanup() {
			await fixture.engine.close();
			await rm(dir, {recursive: true, force: true});
		},
	};
	return fixture;
}

/** Writes a Parquet file with DuckDB's own writer (`COPY … TO … (FORMAT PARQUET)`). */
export async function writeParquet(file: string, selectSql: string): Promise<void> {
	const instance = await DuckDBInstance.create(':memory:');
	const connection = await instance.connect();
	try {
		await connection.run(`COPY (${selectSql}) TO '${file.replaceAll("'", "''")}' (FORMAT PARQUET)`);
	} finally {
		connection.closeSync();
		instance.closeSync();
	}
}

export async function rows(engine: MaxComputeEngine, sql: string, settings: Record<string, string> = odps2) {
	const result = await engine.execute(sql, settings);
	if (result.kind !== 'rows') throw new Error(`expected rows, got ${result.text}`);
	return result;
}
