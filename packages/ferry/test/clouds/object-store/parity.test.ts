import test from 'ava';
import type {Inventory} from '../../../source/clouds/object-store/client.js';
import {compareInventories} from '../../../source/clouds/object-store/parity.js';

const md5a = '0cc175b9c0f1b6a831c399e269772661';
const md5b = '92eb5ffee6ae2fec3ad71c777531578f';

function inventory(prefix: string, objects: Array<[string, number, string]>): Inventory {
	return {bucket: 'b', prefix, count: objects.length, bytes: objects.reduce((sum, [, size]) => sum + size, 0), objects: objects.map(([key, size, etag]) => ({key: `${prefix}${key}`, size, etag}))};
}

test('equal inventories under different prefixes have no differences', t => {
	t.deepEqual(compareInventories(inventory('a/', [['x', 1, md5a]]), inventory('b/', [['x', 1, md5a]])), []);
});

test('reports missing, extra, size and checksum differences with totals', t => {
	const differences = compareInventories(
		inventory('', [['missing', 5, md5a], ['resized', 3, md5a], ['changed', 1, md5a]]),
		inventory('', [['resized', 4, md5a], ['changed', 1, md5b], ['extra', 2, md5b]]),
	);
	t.deepEqual(differences.map(difference => [difference.kind, difference.key]), [
		['bytes', undefined],
		['missing', 'missing'],
		['size', 'resized'],
		['checksum', 'changed'],
		['extra', 'extra'],
	]);
	t.regex(differences[0]!.message, /9 bytes at the source, 7 at the destination \(-2\)/);
});

test('a multipart ETag is checked through the copy record, never against a plain MD5', t => {
	const source = inventory('', [['big', 10, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-2']]);
	const destination = inventory('', [['big', 10, md5a]]);
	t.like(compareInventories(source, destination)[0], {kind: 'unverifiable'});
	t.deepEqual(compareInventories(source, destination, [{key: 'big', sourceEtag: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-2', destinationEtag: md5a, md5: md5a}]), []);
	t.like(compareInventories(source, destination, [{key: 'big', sourceEtag: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-2', destinationEtag: md5a, md5: md5b}])[0], {kind: 'checksum'});
	const changed = compareInventories(source, destination, [{key: 'big', sourceEtag: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-2', destinationEtag: md5a, md5: md5a}]);
	t.like(changed[0], {kind: 'checksum'});
	t.regex(changed[0]!.message, /source changed after it was copied/);
});
