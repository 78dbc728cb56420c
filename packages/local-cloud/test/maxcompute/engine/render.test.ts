import test from 'ava';
import {renderDecimal, renderDouble, renderFloat, renderTimestamp} from '../../../source/maxcompute/engine/render.js';

test('numbers render like Java: shortest float, .0 on whole doubles, E notation outside [1e-3, 1e7)', t => {
	t.is(renderFloat(Math.fround(1.1)), '1.1');
	t.is(renderFloat(Math.fround(0.5)), '0.5');
	t.is(renderDouble(20), '20.0');
	t.is(renderDouble(1e20), '1.0E20');
	t.is(renderDouble(0.0001), '1.0E-4');
	t.is(renderDouble(Number.NaN), 'NaN');
});

test('decimals keep their scale exactly; timestamps drop a zero fraction', t => {
	t.is(renderDecimal(-7n, 2), '-0.07');
	t.is(renderDecimal(123456789012345678901234567890n, 18), '123456789012.345678901234567890');
	t.is(renderDecimal(42n, 0), '42');
	t.is(renderTimestamp(0n, 9), '1970-01-01 00:00:00');
	t.is(renderTimestamp(-1n, 9), '1969-12-31 23:59:59.999999999');
	t.is(renderTimestamp(1_500_000_000n, 3), '1970-01-01 00:00:01.5');
});
