import process from 'node:process';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {execa} from 'execa';

const loadConfModule = fileURLToPath(new URL('../../source/store/load-conf.ts', import.meta.url));

/** Runs a script in a fresh process (so conf is loaded for the first time there) that counts its SIGINTs. */
async function countSigints(load: string): Promise<string> {
	const script = `${load}
let count = 0;
process.on('SIGINT', () => count++);
process.kill(process.pid, 'SIGINT');
setTimeout(() => process.stdout.write(String(count)), 300);`;
	const child = await execa(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], {reject: false});
	if (child.exitCode !== 0) {
		throw new Error(`${String(child.exitCode)} ${child.signal ?? ''} ${child.stderr}`);
	}

	return child.stdout;
}

test('conf as imported directly: when-exit sends every SIGINT again, so one Ctrl-C counts twice (the mechanism)', async t => {
	t.is(await countSigints(`await import('conf');`), '2');
});

test('conf loaded through loadConf: one SIGINT is one SIGINT', async t => {
	t.is(await countSigints(`const {loadConf} = await import(${JSON.stringify(loadConfModule)}); await loadConf();`), '1');
});

test('loadConf leaves listeners that were there before it alone', async t => {
	const script = `const mine = () => {}; process.on('SIGTERM', mine);
const {loadConf} = await import(${JSON.stringify(loadConfModule)}); await loadConf(); await loadConf();
process.stdout.write(JSON.stringify([process.listeners('SIGTERM').includes(mine), process.listenerCount('SIGTERM'), process.listenerCount('SIGHUP')]));`;
	const child = await execa(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], {reject: false});
	t.is(child.stdout, '[true,1,0]', child.stderr);
});
