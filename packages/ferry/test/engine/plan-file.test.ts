import test from 'ava';
import {PreflightError, UsageError} from '../../source/engine/errors.js';
import {answersWithSecretReferences, canonicalJson, checkPlanVersions, parsePlanFile, planFormat, planFormatVersion, planHash, sealPlan, splitPlanAnswers, type PlanFile} from '../../source/engine/plan-file.js';
import {runSession, type RunnerUi} from '../../source/engine/runner.js';
import {createSession} from '../../source/engine/session.js';
import {diffFacts, driftText, type SourceFact} from '../../source/engine/source-facts.js';
import {defineWizard, type SecretStore} from '../../source/engine/wizard.js';
import {silentLogger} from '../../source/log/logger.js';
import {useFerryHome} from '../helpers/ferry-home.js';

const orders: SourceFact = {object: 'Redshift table public.orders', exists: true, rows: 1500, columns: [{name: 'o_orderkey', type: 'integer'}, {name: 'o_comment', type: 'character varying(79)'}]};

test('no change is no drift; a row count within the tolerance is none either', t => {
	t.deepEqual(diffFacts([orders], [structuredClone(orders)], {percent: 0}), []);
	t.deepEqual(diffFacts([orders], [{...orders, rows: 1510}], {percent: 1}), []);
	// Names are compared as the catalogs fold them, types as written.
	t.deepEqual(diffFacts([orders], [{...orders, columns: [{name: 'O_ORDERKEY', type: 'INTEGER'}, orders.columns![1]!]}], {percent: 0}), []);
});

test('a column added, removed or retyped and rows outside the tolerance are each named', t => {
	const current: SourceFact = {...orders, rows: 1600, columns: [{name: 'o_orderkey', type: 'bigint'}, {name: 'o_note', type: 'character varying(20)'}]};
	const drift = diffFacts([orders], [current], {percent: 5});
	t.deepEqual(drift.map(item => item.change), [
		'column o_orderkey changed type from integer to bigint',
		'column o_note character varying(20) added',
		'column o_comment character varying(79) removed',
		'1,500 rows when planned, 1,600 now (the plan allows 5%)',
	]);
	t.is(driftText(drift.slice(1, 2)), '- Redshift table public.orders: column o_note character varying(20) added');
	t.deepEqual(diffFacts([orders], [{...orders, rows: 1501}], {percent: 0}).map(item => item.change), ['1,500 rows when planned, 1,501 now (the plan allows no change)']);
});

test('partitions that appear or disappear, objects that appear or vanish, and partition columns', t => {
	const table: SourceFact = {object: 'MaxCompute table p.t', exists: true, columns: [{name: 'pt', type: 'string', partition: true}], partitions: [{name: 'pt=1', rows: 10}]};
	t.deepEqual(diffFacts([table], [{...table, partitions: [{name: 'pt=2', rows: 10}]}], {percent: 0}).map(item => item.change), ['partition pt=2 appeared', 'partition pt=1 disappeared']);
	t.deepEqual(diffFacts([table], [{...table, partitions: [{name: 'pt=1', rows: 12}]}], {percent: 0}).map(item => item.change), ['partition pt=1: 10 rows when planned, 12 now (the plan allows no change)']);
	t.deepEqual(diffFacts([table], [{...table, columns: [{name: 'pt', type: 'string'}]}], {percent: 0}).map(item => item.change), ['column pt is no longer a partition column']);
	const topic: SourceFact = {object: 'DataHub topic p.t', exists: false};
	t.deepEqual(diffFacts([topic], [{...topic, exists: true, columns: []}], {percent: 0}).map(item => item.change), ['now exists (it did not when planned)']);
	t.deepEqual(diffFacts([table], [{...table, exists: false}], {percent: 0}).map(item => item.change), ['no longer exists']);
	t.deepEqual(diffFacts([], [topic], {percent: 0}).map(item => item.change), ['read now but not when planned']);
});

function examplePlan(): PlanFile {
	return sealPlan({
		format: planFormat,
		formatVersion: planFormatVersion,
		ferry: {version: '0.3.1'},
		wizard: {id: 'redshift-to-maxcompute', version: 1},
		profile: {name: 'local', endpoints: {aws: {s3: 'http://s3.localhost:1'}}},
		answers: answersWithSecretReferences({tables: ['orders'], parallelism: 2}, ['unloadSecretAccessKey']),
		facts: {rowTolerance: {percent: 0}, checkBefore: ['unload'], objects: [orders]},
		review: {title: 'Plan', sections: [{title: 'UNLOAD', code: 'UNLOAD …'}]},
	});
}

test('canonical JSON sorts keys at every level, so the hash does not depend on key order', t => {
	t.is(canonicalJson({b: 1, a: {d: [1, {f: 2, e: 'x'}], c: null}, u: undefined}), '{"a":{"c":null,"d":[1,{"e":"x","f":2}]},"b":1}');
	const plan = examplePlan();
	t.regex(plan.hash, /^sha256:[\da-f]{64}$/);
	const reordered = Object.fromEntries(Object.entries(plan).reverse()) as PlanFile;
	t.is(planHash(reordered), plan.hash);
	t.is(parsePlanFile(JSON.stringify(reordered, undefined, 2), 'plan.json').hash, plan.hash);
});

test('a plan edited after it was made is refused (exit 2), as is a file that is no plan', t => {
	const plan = examplePlan();
	const edited = {...plan, answers: {...plan.answers, parallelism: 8}};
	const error = t.throws(() => parsePlanFile(JSON.stringify(edited), 'plan.json'), {instanceOf: UsageError});
	t.regex(error.message, /^plan\.json was changed after it was made: its content hash is sha256:[\da-f]{64}, the file says sha256:/);
	t.throws(() => parsePlanFile('{"tables": [', 'plan.json'), {instanceOf: UsageError, message: /not valid JSON/});
	t.throws(() => parsePlanFile('{"tables": []}', 'plan.json'), {instanceOf: UsageError, message: 'plan.json is not a ferry plan'});
});

test('secrets are references in the plan and split out again; another ferry major or wizard version is refused (exit 4)', t => {
	const plan = examplePlan();
	t.deepEqual(plan.answers['unloadSecretAccessKey'], {secret: 'unloadSecretAccessKey'});
	t.deepEqual(splitPlanAnswers(plan), {answers: {tables: ['orders'], parallelism: 2}, secretKeys: ['unloadSecretAccessKey']});
	t.notThrows(() => checkPlanVersions(plan, {ferryVersion: '0.9.0', wizardVersion: 1}));
	t.throws(() => checkPlanVersions(plan, {ferryVersion: '1.0.0', wizardVersion: 1}), {instanceOf: PreflightError, message: /made by ferry 0\.3\.1; this is ferry 1\.0\.0, another major version/});
	t.throws(() => checkPlanVersions(plan, {ferryVersion: '0.3.1', wizardVersion: 2}), {instanceOf: PreflightError, message: /version 1 of redshift-to-maxcompute; this ferry has version 2/});
});

const silentUi: RunnerUi = {
	stepStarted() {},
	stepSkipped() {},
	stepFinished() {},
	askParameters: async () => ({}),
	review: async () => true,
	confirm: async () => true,
	confirmRerun: async () => true,
	rendering: () => ({renderer: 'silent'}),
};
const noSecrets: SecretStore = {get: () => undefined, set() {}};

test.serial('a session with a plan reads the facts again before the steps that depend on them and stops there on drift (exit 4); resume checks again', async t => {
	useFerryHome(t);
	let current: SourceFact[] = [{...orders, columns: [...orders.columns!, {name: 'o_note', type: 'text'}]}];
	const ran: string[] = [];
	const wizard = defineWizard({
		id: 'facts-wizard', title: 'Facts', description: 'Facts', version: 1, parameters: [],
		createClients: async () => ({}),
		facts: {checkBefore: ['copy'], read: async () => current},
		steps: ['preflight', 'copy', 'load'].map(id => ({id, title: id, explain: id, kind: 'task' as const, rerun: 'safe' as const, async run() {
			ran.push(id);
		}})),
	});
	const session = createSession({wizard: wizard.id, wizardVersion: 1, profile: 'local', stepIds: ['preflight', 'copy', 'load'], answers: {}});
	session.plan = {hash: 'sha256:abc', file: '/tmp/plan.json', rowTolerance: {percent: 0}, facts: [orders]};
	const options = {wizard, session, ui: silentUi, secrets: noSecrets, log: silentLogger, signal: new AbortController().signal};
	const error = await t.throwsAsync(runSession(options), {instanceOf: PreflightError});
	t.is(error.message, 'The source changed since plan sha256:abc was made (1 change), so copy did not start:\n- Redshift table public.orders: column o_note text added');
	t.deepEqual(ran, ['preflight']);
	t.like(session, {state: 'failed', steps: {copy: {state: 'failed'}}});

	current = [orders];
	t.like(await runSession(options), {exitCode: 0});
	t.deepEqual(ran, ['preflight', 'copy', 'load']);

	// Without a plan, facts are never read.
	const plain = createSession({wizard: wizard.id, wizardVersion: 1, profile: 'local', stepIds: ['preflight', 'copy', 'load'], answers: {}});
	current = [];
	t.like(await runSession({...options, session: plain}), {exitCode: 0});
});

test('a wizard whose facts name an unknown step is refused at definition', t => {
	t.throws(() => defineWizard({id: 'w', title: 'w', description: 'w', version: 1, parameters: [], createClients: async () => ({}), facts: {checkBefore: ['nope'], read: async () => []}, steps: []}), {message: /facts are checked before unknown step nope/});
});
