import test from 'ava';
import {decodeLogGroup, encodeLog, encodeLogGroup, ProtobufDecodeError, varint} from '../../../source/clouds/log-service/protobuf.js';

test('the Go SDK signature test\'s LogGroup, byte by byte from lib/sls.proto', t => {
	// Log.Time = 1405409656 as a varint, 7 bits at a time from the low end:
	//   1405409656 = 10979762·128 + 120 → 0xF8 (120 | 0x80); 10979762 = 85779·128 + 50 → 0xB2;
	//   85779 = 670·128 + 19 → 0x93; 670 = 5·128 + 30 → 0x9E; 5 → 0x05.
	// Content {Key = 1: "TestKey" (7 bytes), Value = 2: "TestContent" (11 bytes)} = 0A 07 … 12 0B … = 22 bytes.
	// Log = 08 (field 1, varint) + 5 time bytes + 12 16 (field 2, 22 bytes) + content = 30 bytes.
	// LogGroup = 0A 1E (Logs, 30 bytes) + log, 1A 00 (Topic "", present because set), 22 0E "10.230.201.117" = 50 bytes.
	const expected = [
		'0a1e', '08', 'f8b2939e05', '1216', '0a07', Buffer.from('TestKey').toString('hex'), '120b', Buffer.from('TestContent').toString('hex'),
		'1a00', '220e', Buffer.from('10.230.201.117').toString('hex'),
	].join('');
	const bytes = encodeLogGroup({topic: '', source: '10.230.201.117', logs: [{time: 1_405_409_656, contents: [['TestKey', 'TestContent']]}]});
	t.is(bytes.toString('hex'), expected);
	t.is(bytes.length, 50);
});

test('TimeNs is fixed32 (field 4, wire type 5, little-endian) and LogTags are field 6', t => {
	t.is(encodeLog({time: 1, contents: [], timeNs: 0x01_02_03_04}).toString('hex'), '0801' + '25' + '04030201');
	t.is(encodeLogGroup({logs: [], tags: [['k', 'v']]}).toString('hex'), '3206' + '0a016b' + '120176');
	t.is(encodeLogGroup({logs: []}).length, 0, 'no topic or source means no field at all');
});

test('varints: 0, 127, 128, 300 and the largest uint32', t => {
	t.is(varint(0).toString('hex'), '00');
	t.is(varint(127).toString('hex'), '7f');
	t.is(varint(128).toString('hex'), '8001');
	t.is(varint(300).toString('hex'), 'ac02');
	t.is(varint(0xFF_FF_FF_FF).toString('hex'), 'ffffffff0f');
	t.throws(() => varint(-1), {instanceOf: RangeError});
});

test('round trip: unicode, empty strings, repeated keys, many logs, tags, topic and source', t => {
	const group = {
		topic: 'run · 1',
		source: '',
		logs: [
			{time: 0, contents: [['', ''], ['ключ', '值 🚀'], ['k', 'a'], ['k', 'b']] as [string, string][]},
			{time: 0xFF_FF_FF_FF, contents: [['long', 'x'.repeat(70_000)]] as [string, string][], timeNs: 999_999_999},
			...Array.from({length: 300}, (_, index) => ({time: 1_700_000_000 + index, contents: [['i', String(index)]] as [string, string][]})),
		],
		tags: [['__tag__:run', 'r1'], ['b', '']] as [string, string][],
	};
	const decoded = decodeLogGroup(encodeLogGroup(group));
	t.deepEqual(decoded, group);
});

test('times outside uint32 seconds are refused before encoding', t => {
	for (const time of [-1, 2 ** 32, 1.5, Number.NaN]) {
		t.throws(() => encodeLogGroup({logs: [{time, contents: []}]}), {instanceOf: RangeError});
	}
});

test('the decoder skips unknown fields (Reserved = 2, newer fields) and rejects broken input', t => {
	const log = encodeLog({time: 5, contents: [['a', 'b']]});
	const withExtras = Buffer.concat([
		Buffer.from([0x0A, log.length]), log,
		Buffer.from([0x12, 0x03]), Buffer.from('abc'), // Reserved
		Buffer.from([0x48, 0x01]), // field 9, varint
		Buffer.from([0x59, 1, 2, 3, 4, 5, 6, 7, 8]), // field 11, fixed64
	]);
	t.deepEqual(decodeLogGroup(withExtras), {logs: [{time: 5, contents: [['a', 'b']]}], tags: []});

	const whole = encodeLogGroup({source: 'host', logs: [{time: 5, contents: [['a', 'b']]}]});
	t.throws(() => decodeLogGroup(whole.subarray(0, whole.length - 1)), {instanceOf: ProtobufDecodeError, message: /past the end/});
	t.throws(() => decodeLogGroup(Buffer.from([0x0A, 0x00])), {instanceOf: ProtobufDecodeError, message: /Time/});
	t.throws(() => decodeLogGroup(Buffer.from([0x0A, 0x02, 0x12, 0x00])), {instanceOf: ProtobufDecodeError, message: /Key or Value/});
	t.throws(() => decodeLogGroup(Buffer.from([0x0B])), {instanceOf: ProtobufDecodeError, message: /wire type 3/});
	t.throws(() => decodeLogGroup(Buffer.from([0x0A, 0x80])), {instanceOf: ProtobufDecodeError, message: /truncated varint/});
	t.throws(() => decodeLogGroup(Buffer.from([0x18, 0x01])), {instanceOf: ProtobufDecodeError, message: /wire type 0, expected 2/});
});
