/**
 * The identity calls are made once per session: a call killed after the service took it but before its checkpoint
 * finds its result on resume and sends nothing again, and still counts as ferry's; what was there before is used
 * and never listed as ferry's; a policy of ferry's name with another document is not overwritten.
 */
import test from 'ava';
import type {IamClient, IamRole} from '../../source/clouds/iam/client.js';
import {StepError} from '../../source/engine/errors.js';
import type {Checkpoints, CreatedResource} from '../../source/engine/wizard.js';
import {checkAwsServiceRole, serviceTrustPolicy} from '../../source/identity/aws-role.js';
import {createIdentities} from '../../source/identity/create.js';
import type {IdentityAction} from '../../source/identity/findings.js';

const signal = new AbortController().signal;
const policy = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/p/*'}]});

type World = {roles: Map<string, IamRole>; inline: Map<string, string>; sent: string[]; failAfter?: string};

/** A fake IAM whose calls change `world`; `failAfter` makes that call succeed and then the process "die". */
function fakeIam(world: World): IamClient {
	const die = (call: string) => {
		world.sent.push(call);
		if (world.failAfter === call) {
			world.failAfter = undefined;
			throw new Error('killed');
		}
	};

	return {
		async getRole(name: string) {
			return world.roles.get(name);
		},
		async createRole(request: {name: string; trustPolicy: string; description?: string}) {
			if (world.roles.has(request.name)) {
				throw new Error('EntityAlreadyExists');
			}

			const role = {name: request.name, path: '/', arn: `arn:aws:iam::123456789012:role/${request.name}`, id: 'AROA', trustPolicy: request.trustPolicy, ...(request.description ? {description: request.description} : {})};
			world.roles.set(request.name, role);
			die('CreateRole');
			return role;
		},
		async listRolePolicies(role: string) {
			return [...world.inline.keys()].filter(key => key.startsWith(`${role}/`)).map(key => key.slice(role.length + 1));
		},
		async getRolePolicy(role: string, name: string) {
			return world.inline.get(`${role}/${name}`)!;
		},
		async putRolePolicy(role: string, name: string, document: string) {
			world.inline.set(`${role}/${name}`, document);
			die('PutRolePolicy');
		},
	} as unknown as IamClient;
}

/** Checkpoints kept in a plain object, as the session keeps them (a `once` result is saved only when it returns). */
function checkpoints(saved: Record<string, unknown>): Checkpoints {
	return {
		get: <T>(key: string) => saved[key] as T | undefined,
		set(key, value) {
			saved[key] = value;
		},
		async once<T>(key: string, create: () => Promise<T>) {
			if (key in saved) {
				return saved[key] as T;
			}

			const value = await create();
			saved[key] = value;
			return value;
		},
	};
}

async function plannedActions(world: World): Promise<IdentityAction[]> {
	const finding = await checkAwsServiceRole({
		id: 'r', purpose: 'p', roleArn: 'arn:aws:iam::123456789012:role/unload', callerAccount: '123456789012', service: 'redshift.amazonaws.com',
		permissions: [{action: 's3:PutObject', resource: 'arn:aws:s3:::b/p/x'}], policy: {name: 'ferry-unload-b', document: policy}, description: 'Created by ferry (session s1)',
	}, {iam: fakeIam(world)}, signal);
	return finding.actions;
}

test('killed after CreateRole and after PutRolePolicy: each resume sends nothing twice, and both are listed as ferry\'s', async t => {
	const world: World = {roles: new Map(), inline: new Map(), sent: []};
	const actions = await plannedActions(world);
	const saved: Record<string, unknown> = {};
	const created: CreatedResource[] = [];
	const options = () => ({clients: {iam: fakeIam(world)}, checkpoint: checkpoints(saved), signal, report() {}, created: (resource: CreatedResource) => created.push(resource)});

	world.failAfter = 'CreateRole';
	await t.throwsAsync(createIdentities(actions, options()), {message: 'killed'});
	world.failAfter = 'PutRolePolicy';
	await t.throwsAsync(createIdentities(actions, options()), {message: 'killed'});
	const made = await createIdentities(actions, options());
	t.deepEqual(world.sent, ['CreateRole', 'PutRolePolicy']);
	t.deepEqual(made.map(resource => resource.kind), ['role', 'inline policy']);
	// Told again on each resume; the session keeps one of each (StepContext.created).
	t.deepEqual([...new Set(created.map(resource => resource.kind))], ['role', 'inline policy']);

	const again = await createIdentities(actions, options());
	t.deepEqual(world.sent, ['CreateRole', 'PutRolePolicy'], 'a finished session calls nothing again');
	t.is(again.length, 2, 'and still reports what it created');
});

test('a role someone else made is used, not listed as ferry\'s; a policy of ferry\'s name with another document stops the step', async t => {
	const world: World = {roles: new Map(), inline: new Map(), sent: []};
	const actions = await plannedActions(world);
	world.roles.set('unload', {name: 'unload', path: '/', arn: 'arn:aws:iam::123456789012:role/unload', id: 'x', trustPolicy: serviceTrustPolicy('redshift.amazonaws.com'), description: 'by hand'});
	const created: CreatedResource[] = [];
	const made = await createIdentities(actions, {clients: {iam: fakeIam(world)}, checkpoint: checkpoints({}), signal, report() {}, created: resource => created.push(resource)});
	t.deepEqual(made.map(resource => resource.kind), ['inline policy']);
	t.deepEqual(world.sent, ['PutRolePolicy']);

	world.inline.set('unload/ferry-unload-b', JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]}));
	await t.throwsAsync(createIdentities(actions, {clients: {iam: fakeIam(world)}, checkpoint: checkpoints({}), signal, report() {}, created() {}}), {instanceOf: StepError, message: /already has an inline policy ferry-unload-b with another document/});
});
