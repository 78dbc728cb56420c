import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import test from 'ava';
import {ObjectStorage} from '../../source/object-store/storage.js';

test('concurrent first writes to a bucket all stay listed (the index is loaded once, not once per request)', async t => {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ferry-storage-'));
	t.teardown(async () => rm(dataDir, {recursive: true, force: true}));
	const setup = new ObjectStorage(dataDir);
	await setup.open();
	await setup.createBucket('race');
	await setup.put('race', 'existing.txt', Readable.from([Buffer.from('before')]));

	// A new instance on the same data directory has no index in memory yet: every request below races to load it.
	const storage = new ObjectStorage(dataDir);
	await storage.open();
	const keys = Array.from({length: 64}, (_, index) => `data/part-${String(index).padStart(3, '0')}.txt`);
	await Promise.all(keys.map(async key => storage.put('race', key, Readable.from([Buffer.from(key)]))));
	t.deepEqual(await storage.keys('race'), [...keys, 'existing.txt']);
});
