import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {complete, completionOutput, realSources, type CompletionSources} from '../../source/cli/complete.js';
import {completionScript} from '../../source/cli/completion-scripts.js';
import {useFerryHome} from '../helpers/ferry-home.js';

const sources: CompletionSources = {
	wizards: () => [{value: 'redshift-to-maxcompute'}, {value: 'datahub-to-maxcompute'}],
	sessions: () => [{value: 'rtm-20261121-0935-aaaa'}, {value: 'dtm-20261122-1000-bbbb'}],
	profiles: () => [{value: 'local'}, {value: 'prod-eu'}],
	services: () => [{value: 'maxcompute'}, {value: 'datahub'}],
	commands: () => [{value: 'run'}, {value: 'resume'}],
};

const values = (words: string[]) => {
	const completion = complete(words, sources);
	return completion.files ? 'files' : completion.candidates.map(candidate => candidate.value);
};

test('commands, then actions, then flags of the command that runs', t => {
	t.deepEqual(values(['']), ['run', 'resume', 'sessions', 'report', 'plan', 'apply', 'verify', 'sql', 'profiles', 'local-cloud', 'completion', 'help']);
	t.deepEqual(values(['se']), ['sessions']);
	t.deepEqual(values(['local-cloud', 's']), ['start', 'stop', 'status']);
	t.deepEqual(values(['local-cloud', 'start', '--s']), ['--scale']);
	t.deepEqual(values(['local-cloud', 'start', '--scale', '1', '--']), ['--ports', '--faults', '--identities', '--json', '--quiet', '--verbose', '--log-level', '--help', '--version', '--no-color'], 'a flag given is not offered again');
	t.deepEqual(values(['sessions', '--j']), ['--json'], 'a bare group offers its default action\'s flags');
	t.deepEqual(values(['run', 'x', '--set', 'a=1', '--s']), ['--set'], 'a repeatable flag is offered again');
	t.deepEqual(values(['run', 'x', '--prof']), ['--profile']);
});

test('values: wizard ids, session ids, profiles, services, choices, files', t => {
	t.deepEqual(values(['run', 'data']), ['datahub-to-maxcompute']);
	t.deepEqual(values(['plan', '']), ['redshift-to-maxcompute', 'datahub-to-maxcompute']);
	t.deepEqual(values(['resume', 'rtm']), ['rtm-20261121-0935-aaaa']);
	t.deepEqual(values(['sessions', 'show', '']), ['rtm-20261121-0935-aaaa', 'dtm-20261122-1000-bbbb']);
	t.deepEqual(values(['verify', '--session', 'd']), ['dtm-20261122-1000-bbbb']);
	t.deepEqual(values(['run', 'x', '--profile', 'pr']), ['prod-eu']);
	t.deepEqual(values(['run', 'x', '-p', '']), ['local', 'prod-eu']);
	t.deepEqual(values(['run', 'x', '--profile=p']), ['--profile=prod-eu']);
	t.deepEqual(values(['profiles', 'test', 'prod-eu', 'data']), ['datahub'], 'every argument after the name is a service');
	t.deepEqual(values(['profiles', 'test', 'prod-eu', 'maxcompute', '']), ['maxcompute', 'datahub']);
	t.deepEqual(values(['sql', '--side', '']), ['source', 'target']);
	t.deepEqual(values(['run', 'x', '--log-level', 'd']), ['debug']);
	t.deepEqual(values(['completion', '']), ['bash', 'zsh', 'fish']);
	t.deepEqual(values(['help', 'lo']), [], 'help takes command names (the sources above have none starting so)');
	t.deepEqual(values(['help', 'r']), ['run', 'resume']);
	t.is(values(['run', 'x', '--answers', 'ans']), 'files');
	t.is(values(['plan', 'x', '-o', '']), 'files');
	t.deepEqual(values(['sql', '--local', 'SELECT']), [], 'a statement is not completed');
	t.deepEqual(values(['xyzzy', '']), [], 'nothing under an unknown command');
});

test('the output is one candidate per line with its description, or the files directive', t => {
	t.is(completionOutput(['local-cloud', 'st'], sources), 'start\tstart the stand-ins (seeding TPC-H on the first start)\nstop\tstop the stand-ins (their data stays)\nstatus\twhether each stand-in answers\n');
	t.is(completionOutput(['run', 'x', '--answers', ''], sources), '__files__\n');
	t.is(completionOutput(['run', 'x', '--frob'], sources), '');
});

test.serial('the real sources read the sessions folder and the profiles file, and never fail', t => {
	const home = useFerryHome(t);
	t.deepEqual(realSources.sessions(), [], 'no sessions folder yet');
	t.deepEqual(realSources.profiles().map(profile => profile.value), ['local']);
	for (const id of ['rtm-20261121-0935-aaaa', 'rtm-20261122-0935-bbbb']) {
		mkdirSync(path.join(home, 'sessions', id), {recursive: true});
	}

	writeFileSync(path.join(home, 'sessions', 'stray-file'), '');
	mkdirSync(path.join(home, 'config'), {recursive: true});
	writeFileSync(path.join(home, 'config', 'profiles.json'), JSON.stringify({profiles: {'prod-eu': {name: 'prod-eu', alibaba: {region: 'eu-central-1', credentials: {kind: 'chain'}}}}}));
	t.deepEqual(realSources.sessions().map(session => session.value), ['rtm-20261122-0935-bbbb', 'rtm-20261121-0935-aaaa'], 'newest first, folders only');
	t.deepEqual(realSources.profiles().map(profile => profile.value), ['local', 'prod-eu']);
	writeFileSync(path.join(home, 'config', 'profiles.json'), '{broken');
	t.deepEqual(realSources.profiles().map(profile => profile.value), ['local'], 'a broken file is the local profile only, never an error on Tab');
	t.true(realSources.wizards().some(wizard => wizard.value === 'redshift-to-maxcompute'));
	t.true(realSources.services().some(service => service.value === 'maxcompute'));
});

test('each script asks `ferry __complete` and handles the files directive', t => {
	for (const shell of ['bash', 'zsh', 'fish'] as const) {
		const script = completionScript(shell);
		t.true(script.includes('ferry __complete'), shell);
		t.true(script.includes('__files__'), shell);
	}

	t.true(completionScript('bash').includes('complete -F _ferry_complete ferry'));
	t.true(completionScript('zsh').startsWith('#compdef ferry\n'));
	t.true(completionScript('fish').includes('complete -c ferry -f -a \'(__ferry_complete)\''));
});
