import test from 'ava';
import {Crc64, crc64Ecma} from '../../source/object-store/crc64.js';

// The check value of CRC-64/XZ (reflected ECMA-182, init and xorout all ones), the CRC OSS reports: reveng's
// CRC catalogue lists check=0x995dc9bbdf1939fa for "123456789".
test('crc64Ecma reproduces the catalogued check value for "123456789"', t => {
	t.is(BigInt(crc64Ecma('123456789')), 0x99_5D_C9_BB_DF_19_39_FAn);
	t.is(crc64Ecma(''), '0');
});

test('feeding the bytes in uneven pieces gives the same CRC as all at once', t => {
	const data = Buffer.from(Array.from({length: 10_007}, (_, index) => (index * 131 + 7) & 0xFF));
	const whole = crc64Ecma(data);
	const pieces = new Crc64();
	for (const [start, end] of [[0, 1], [1, 9], [9, 17], [17, 4096], [4096, 10_007]] as const) {
		pieces.update(data.subarray(start, end));
	}

	t.is(pieces.digest(), whole);
	t.not(crc64Ecma(data.subarray(1)), whole);
});
