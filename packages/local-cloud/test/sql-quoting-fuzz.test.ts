/**
 * ferry's one string-literal quoting function per dialect, fuzzed against the stand-ins: a few thousand random values
 * with quotes, backslashes, semicolons, line breaks, control characters, NUL and non-ASCII text, each sent as
 * `SELECT <literal>` to the Redshift stand-in (PostgreSQL wire) and to the MaxCompute stand-in (ODPS REST), must come
 * back exactly — or be refused by the quoting function, for the characters the dialect cannot carry. Seeded, so a
 * failure names the seed and value that reproduce it (FERRY_FUZZ_SEED=… to replay).
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import test from 'ava';
import pg from 'pg';
import {createMaxComputeClient} from 'ferry/clouds/maxcompute/client';
import {quoteMaxComputeString} from 'ferry/clouds/maxcompute/ddl';
import {quoteLiteral} from 'ferry/clouds/redshift/sql-text';
import {UsageError} from 'ferry/engine/errors';
import {silentLogger} from 'ferry/log/logger';
import type {StandInHandle} from '../source/contract.js';
import {startMaxComputeStandIn} from '../source/maxcompute/server.js';
import {redshiftKeys, startLocalRedshift, type LocalRedshift} from './helpers/redshift-local.js';

const seed = Number(process.env['FERRY_FUZZ_SEED'] ?? 20_261_122);
const cases = 3000;
const batch = 100;

/** mulberry32: a small seeded generator, so every run draws the same values. */
function random(seedValue: number): () => number {
	let state = seedValue >>> 0;
	return () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const alphabet = ['\'', '\'\'', '\\', '\\\\', '"', '`', ';', '\n', '\r', '\t', '\u0000', '\u0001', '\u001B', '\u007F', ' ', '--', '/*', '$$', 'a', 'Z', '0', 'é', 'ß', '中', '文', '🙂', '\u00A0', '\u2028', '%', '_', '\\n', '\\\'', 'x'];

function values(): string[] {
	const next = random(seed);
	const drawn = ['', '\\', 'pt=2016\\', '2016\\', '\'', '\\\'', 'it\'s', 'a;b', 'line\nbreak', '\u0000'];
	while (drawn.length < cases) {
		const length = Math.floor(next() * 12);
		let value = '';
		for (let index = 0; index < length; index++) {
			value += alphabet[Math.floor(next() * alphabet.length)]!;
		}

		drawn.push(value);
	}

	return drawn;
}

type Dialect = {name: string; quote: (value: string) => string; select: (literals: string[]) => Promise<Array<string | null>>};

async function roundTrip(t: import('ava').ExecutionContext, dialect: Dialect, mustRefuse: (value: string) => boolean): Promise<void> {
	const accepted: Array<{value: string; literal: string}> = [];
	for (const value of values()) {
		if (mustRefuse(value)) {
			t.throws(() => dialect.quote(value), {instanceOf: UsageError}, `${dialect.name} must refuse ${JSON.stringify(value)} (seed ${seed})`);
			continue;
		}

		accepted.push({value, literal: dialect.quote(value)});
	}

	t.true(accepted.length > cases / 3, `${accepted.length} of ${cases} values quoted`);
	let mismatches = 0;
	for (let start = 0; start < accepted.length; start += batch) {
		const chunk = accepted.slice(start, start + batch);
		const row = await dialect.select(chunk.map(item => item.literal));
		for (const [index, item] of chunk.entries()) {
			if (row[index] !== item.value && mismatches++ < 5) {
				t.fail(`${dialect.name}: ${JSON.stringify(item.value)} came back as ${JSON.stringify(row[index])} (literal ${item.literal}, seed ${seed})`);
			}
		}
	}

	t.is(mismatches, 0);
}

let redshift: LocalRedshift;
let maxcompute: {standIn: StandInHandle; dataDir: string};
const maxComputeKeys = {accessKeyId: 'LTAIfuzzkey0001', secret: 'fuzz-secret-Pw4nQ8'};

test.before(async () => {
	redshift = await startLocalRedshift();
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-quoting-fuzz-'));
	maxcompute = {dataDir, standIn: await startMaxComputeStandIn({dataDir, region: 'ap-southeast-1', project: 'fuzz', credentials: maxComputeKeys, accountId: '1000000000000000'})};
});

test.after.always(async () => {
	await redshift?.close();
	await maxcompute?.standIn.close();
	if (maxcompute) {
		await rm(maxcompute.dataDir, {recursive: true, force: true});
	}
});

test.serial('Redshift: every value round-trips through `SELECT <literal>` on the stand-in, or is refused (NUL, backslash)', async t => {
	t.timeout(300_000);
	const client = new pg.Client({host: '127.0.0.1', port: redshift.redshift.pgPort, database: 'dev', user: 'awsuser', password: redshiftKeys.secret});
	client.on('error', () => undefined);
	await client.connect();
	t.teardown(async () => client.end());
	await roundTrip(t, {
		name: 'Redshift',
		quote: quoteLiteral,
		async select(literals) {
			const result = await client.query({text: `SELECT ${literals.map((literal, index) => `${literal} AS v${index}`).join(', ')}`, rowMode: 'array'});
			return result.rows[0] as string[];
		},
	}, value => value.includes('\u0000') || value.includes('\\'));
});

test.serial('MaxCompute: every value round-trips through `SELECT <literal>` on the stand-in, or is refused (NUL)', async t => {
	t.timeout(300_000);
	const client = createMaxComputeClient({endpoint: maxcompute.standIn.url, project: 'fuzz', credentials: {accessKeyId: maxComputeKeys.accessKeyId, accessKeySecret: maxComputeKeys.secret}, logger: silentLogger, poll: {initialMs: 10, maxMs: 50}});
	await roundTrip(t, {
		name: 'MaxCompute',
		quote: quoteMaxComputeString,
		async select(literals) {
			const result = await client.runSql(`SELECT ${literals.map((literal, index) => `${literal} AS v${index}`).join(', ')};`);
			return result.rows[0] ?? [];
		},
	}, value => value.includes('\u0000'));
});

test('the corner cases: a value ending in a backslash closes its literal; NUL is refused in both dialects', t => {
	t.is(quoteMaxComputeString('pt=2016\\'), '\'pt=2016\\\\\'');
	t.is(quoteMaxComputeString('2016\\'), '\'2016\\\\\'');
	t.is(quoteMaxComputeString('it\'s; a\\b'), '\'it\\\'s\\; a\\\\b\'');
	t.is(quoteMaxComputeString('line\nbreak\ttab\rreturn'), '\'line\\nbreak\\ttab\\rreturn\'');
	t.is(quoteMaxComputeString('bell\u0007del\u007F'), '\'bell\\007del\\177\'');
	t.is(quoteMaxComputeString('中文 🙂'), '\'中文 🙂\'');
	t.throws(() => quoteMaxComputeString('a\u0000b'), {instanceOf: UsageError, message: /NUL/});
	t.is(quoteLiteral('it\'s'), '\'it\'\'s\'');
	t.is(quoteLiteral('line\nbreak'), '\'line\nbreak\'');
	t.throws(() => quoteLiteral('2016\\'), {instanceOf: UsageError, message: /backslash/});
	t.throws(() => quoteLiteral('a\u0000b'), {instanceOf: UsageError, message: /NUL/});
});
