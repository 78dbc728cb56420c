import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {ferryPaths} from '../../source/store/paths.js';

test('FERRY_HOME holds every path', t => {
	t.deepEqual(ferryPaths({FERRY_HOME: '/tmp/fh'}), {config: '/tmp/fh/config', data: '/tmp/fh', sessions: '/tmp/fh/sessions', localCloud: '/tmp/fh/local-cloud'});
	t.is(ferryPaths({FERRY_HOME: 'relative/home'}).data, path.resolve('relative/home'));
});

test('otherwise the XDG directories, with their usual fallbacks', t => {
	t.deepEqual(ferryPaths({XDG_CONFIG_HOME: '/x/config', XDG_DATA_HOME: '/x/data'}), {config: '/x/config/ferry', data: '/x/data/ferry', sessions: '/x/data/ferry/sessions', localCloud: '/x/data/ferry/local-cloud'});
	const home = os.homedir();
	t.deepEqual(ferryPaths({}), {
		config: path.join(home, '.config', 'ferry'),
		data: path.join(home, '.local', 'share', 'ferry'),
		sessions: path.join(home, '.local', 'share', 'ferry', 'sessions'),
		localCloud: path.join(home, '.local', 'share', 'ferry', 'local-cloud'),
	});
});
