import test from 'ava';
import {decompressLz4Block, encodeLz4Literals, Lz4Error} from '../../source/log-service/lz4.js';
import {compressLz4Block} from '../helpers/log-service-request.js';

test('a block made by the lz4 v1.9.4 CLI decompresses (block taken out of its frame)', t => {
	const expected = `${'aliyun-log-service-'.repeat(8)}done`;
	const block = Buffer.from('ff04616c6979756e2d6c6f672d736572766963652d130071502d646f6e65', 'hex');
	t.is(decompressLz4Block(block, expected.length).toString(), expected);
});

test('overlapping matches (offset 1) repeat the previous byte', t => {
	// Token 0x1F: one literal "a", then a match of 15 + 0 + 4 = 19 bytes at offset 1; then the 5 closing literals.
	const block = Buffer.from([0x1F, 0x61, 0x01, 0x00, 0x00, 0x50, ...Buffer.from('bcdef')]);
	t.is(decompressLz4Block(block, 25).toString(), `${'a'.repeat(20)}bcdef`);
});

test('bad blocks are refused: wrong raw size, offsets before the start, truncation', t => {
	const block = Buffer.from('ff04616c6979756e2d6c6f672d736572766963652d130071502d646f6e65', 'hex');
	t.throws(() => decompressLz4Block(block, 155), {instanceOf: Lz4Error});
	t.throws(() => decompressLz4Block(block, 157), {instanceOf: Lz4Error});
	t.throws(() => decompressLz4Block(Buffer.from([0x10, 0x61, 0x05, 0x00]), 10), {instanceOf: Lz4Error});
	t.throws(() => decompressLz4Block(block.subarray(0, 10), 156), {instanceOf: Lz4Error});
});

test('the literal-only encoder and the test compressor round-trip', t => {
	const text = Buffer.from(`${'{"__time__":"1700000000","level":"INFO"},'.repeat(50)}end of text`);
	t.deepEqual(decompressLz4Block(encodeLz4Literals(text), text.length), text);
	const compressed = compressLz4Block(text);
	t.true(compressed.length < text.length / 4);
	t.deepEqual(decompressLz4Block(compressed, text.length), text);
	t.deepEqual(decompressLz4Block(encodeLz4Literals(Buffer.alloc(0)), 0), Buffer.alloc(0));
});
