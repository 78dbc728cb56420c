/**
 * The house proves itself: a procedure and a service declared only here, registered in the catalog and the
 * service list the way wizards/index.ts and source/services/index.ts register the real ones, run through
 * `profiles add`, `profiles test`, `run`, `sql` and `verify` with no edit anywhere in source/.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import process from 'node:process';
import test from 'ava';
import {main} from '../../source/cli/main.js';
import {defineWizard, runVerification, type QueryOutcome, type QueryPair, type StepContext, type Wizard} from '../../source/kit.js';
import {profileNamed} from '../../source/kit.js';
import type {ServiceDescriptor} from '../../source/services/descriptor.js';
import {services} from '../../source/services/index.js';
import {wizardCatalog} from '../../wizards/index.js';
import {captureIo} from '../helpers/fake-io.js';
import {useFerryHome} from '../helpers/ferry-home.js';

/** "Tally": a service that keeps named lists of numbers, reached over HTTP with a key header. */
const lists = new Map<string, number[]>([['source', [3, 1, 4, 1, 5, 9, 2, 6]], ['target', []]]);
const accessKeyId = 'tally-test-key';
const server = http.createServer((request, response) => {
	const url = new URL(request.url ?? '/', 'http://tally');
	const answer = (status: number, body: unknown) => {
		response.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body));
	};

	if (request.headers['x-tally-key'] !== accessKeyId) {
		answer(403, {error: 'unknown key'});
		return;
	}

	if (url.pathname === '/whoami') {
		answer(200, {account: 'tally-account-7'});
		return;
	}

	const list = lists.get(url.pathname.slice(1));
	if (!list) {
		answer(404, {error: 'no such list'});
		return;
	}

	if (request.method === 'POST') {
		let body = '';
		request.setEncoding('utf8').on('data', (chunk: string) => {
			body += chunk;
		}).on('end', () => {
			list.push(...(JSON.parse(body) as number[]));
			answer(200, {length: list.length});
		});
		return;
	}

	answer(200, list);
});

type TallyClient = {read(list: string): Promise<number[]>; append(list: string, values: number[]): Promise<void>};

async function tallyCall(endpoint: string, key: string, path: string, init: RequestInit = {}): Promise<unknown> {
	const response = await fetch(`${endpoint}${path}`, {...init, headers: {'x-tally-key': key}});
	if (!response.ok) {
		throw new Error(`tally answered ${response.status}`);
	}

	return response.json();
}

const tally: ServiceDescriptor = {
	name: 'tally',
	title: 'Tally',
	vendor: 'alibaba',
	endpointKey: 'tally',
	async whoami({profile}) {
		const {accessKeyId: key} = await profile.alibaba.credentials.getCredentials();
		const {account} = await tallyCall(profile.alibaba.endpoints['tally']!, key, '/whoami') as {account: string};
		return `account ${account}`;
	},
};

async function tallyClient(profileName: string): Promise<TallyClient> {
	const profile = await profileNamed(profileName);
	const endpoint = profile.alibaba.endpoints['tally']!;
	const {accessKeyId: key} = await profile.alibaba.credentials.getCredentials();
	return {
		read: async list => tallyCall(endpoint, key, `/${list}`) as Promise<number[]>,
		async append(list, values) {
			await tallyCall(endpoint, key, `/${list}`, {method: 'POST', body: JSON.stringify(values)});
		},
	};
}

/** `count` and `sum` queries over a list; `add N` appends (what a user would do with `ferry sql` to break a copy). */
async function tallyQuery(client: TallyClient, list: string, statement: string) {
	const added = /^add (\d+)$/.exec(statement);
	if (added) {
		await client.append(list, [Number(added[1])]);
		return {columns: ['added'], rows: [[Number(added[1])]]};
	}

	const values = await client.read(list);
	return {columns: ['count', 'sum'], rows: [[values.length, values.reduce((total, value) => total + value, 0)]]};
}

const pair: QueryPair = {id: 'tally', title: 'Count and sum of the list', source: 'count', target: 'count', keyColumns: [], kind: 'query', dialects: {source: 'maxcompute', target: 'maxcompute'}};

async function side(client: TallyClient, list: string): Promise<QueryOutcome> {
	const {columns, rows} = await tallyQuery(client, list, 'count');
	return {columns: columns.map(name => ({name, type: 'BIGINT'})), rows: rows.map(row => row.map(String))} as unknown as QueryOutcome;
}

type Clients = {tally: TallyClient};
const fakeWizard = defineWizard<Clients>({
	id: 'tally-copy',
	title: 'Tally copy',
	description: 'Copies the source list to the target list',
	version: 1,
	parameters: [{key: 'batch', label: 'Batch size', help: 'Values per append', type: 'number', default: 3}],
	createClients: async options => ({tally: await tallyClient(options.profile)}),
	sides: {
		source: {title: 'Tally source', query: async (clients, statement) => tallyQuery(clients.tally, 'source', statement)},
		target: {title: 'Tally target', query: async (clients, statement) => tallyQuery(clients.tally, 'target', statement)},
	},
	steps: [
		{id: 'connections', title: 'Connections', explain: 'How many values go in one append.', kind: 'form', parameters: ['batch'], rerun: 'safe'},
		{
			id: 'copy',
			title: 'Copy',
			explain: 'Appends the source list to the target list, one batch at a time.',
			kind: 'task',
			rerun: 'duplicates',
			async run(context: StepContext<Clients>) {
				const values = await context.clients.tally.read('source');
				const batch = Number(context.answers['batch']);
				for (let start = 0; start < values.length; start += batch) {
					await context.checkpoint.once(`batch-${start}`, async () => context.clients.tally.append('target', values.slice(start, start + batch)));
				}
			},
		},
		{
			id: 'verify',
			title: 'Verify',
			explain: 'Counts and sums both lists.',
			kind: 'verify',
			rerun: 'safe',
			async run(context: StepContext<Clients>) {
				const report = await runVerification({pairs: [pair], source: async () => side(context.clients.tally, 'source'), target: async () => side(context.clients.tally, 'target'), sessionId: context.sessionId, signal: context.signal});
				context.verified(report);
			},
		},
	],
});

test.before(async () => {
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	// Registered exactly as the real ones are: an entry in each list, nothing else.
	(services as ServiceDescriptor[]).push(tally);
	(wizardCatalog as Array<(typeof wizardCatalog)[number]>).push({id: 'tally-copy', title: 'Tally copy', description: 'Copies a list', summary: 'copies a tally list', examples: {set: 'batch=2', sql: {side: 'target', statement: 'count'}}, load: async () => ({default: fakeWizard as Wizard<unknown>})});
	process.env['ALIBABA_CLOUD_ACCESS_KEY_ID'] = accessKeyId;
	process.env['ALIBABA_CLOUD_ACCESS_KEY_SECRET'] = 'tally-test-secret';
});

test.after.always(() => {
	server.close();
});

test.serial('a procedure and a service declared only in a test run through profiles, run, sql and verify', async t => {
	useFerryHome(t);
	const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const run = async (...argv: string[]) => {
		const captured = captureIo();
		const code = await main(argv, captured.io);
		return {code, stdout: captured.stdout(), stderr: captured.stderr()};
	};

	const added = await run('profiles', 'add', 'tally-lab', '--set', 'alibabaRegion=cn-lab', '--set', 'alibabaCredentials=chain', '--set', `tallyEndpoint=${endpoint}`, '--no-input');
	t.is(added.code, 0, added.stderr);

	const tested = await run('profiles', 'test', 'tally-lab', 'tally', '--json');
	t.is(tested.code, 0, tested.stdout + tested.stderr);
	t.deepEqual((JSON.parse(tested.stdout) as {results: unknown[]}).results, [{service: 'tally', ok: true, identity: 'account tally-account-7'}]);

	const help = await run('--help');
	t.regex(help.stdout, /tally-copy/);

	const copied = await run('run', 'tally-copy', '--profile', 'tally-lab', '--yes', '--json', '--no-input');
	t.is(copied.code, 0, copied.stderr);
	const result = JSON.parse(copied.stdout) as {session: {id: string}; verification?: {equal: boolean}};
	t.true(result.verification?.equal);
	t.deepEqual(lists.get('target'), lists.get('source'));

	const inserted = await run('sql', '--session', result.session.id, '--side', 'target', 'add 7', '--json');
	t.is(inserted.code, 0, inserted.stderr);

	const verified = await run('verify', result.session.id, '--json', '--no-input');
	t.is(verified.code, 5, verified.stderr);
	t.regex(verified.stdout, /Count and sum of the list/);
	t.false((JSON.parse(verified.stdout) as {verification: {equal: boolean}}).verification.equal);

	const unknown = await run('profiles', 'test', 'tally-lab', 'nosuch');
	t.is(unknown.code, 2);
	t.regex(unknown.stderr, /Unknown service "nosuch"/);
});
