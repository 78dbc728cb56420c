import test from 'ava';
import {asciiSymbols, colorEnabled, symbolsFor, supportsUnicode, unicodeSymbols} from '../../source/ui/theme.js';

test('unicode symbols only where the terminal and locale can draw them', t => {
	t.true(supportsUnicode({TERM: 'xterm-256color', LANG: 'en_US.UTF-8'}, 'linux'));
	t.true(supportsUnicode({TERM: 'xterm-256color'}, 'linux'), 'an unset locale does not say the terminal lacks UTF-8');
	t.false(supportsUnicode({TERM: 'linux', LANG: 'en_US.UTF-8'}, 'linux'), 'the Linux console');
	t.false(supportsUnicode({TERM: 'xterm', LANG: 'C'}, 'linux'), 'LANG=C over SSH');
	t.false(supportsUnicode({TERM: 'xterm', LC_ALL: 'POSIX', LANG: 'en_US.UTF-8'}, 'linux'), 'LC_ALL wins over LANG');
	t.false(supportsUnicode({TERM: 'xterm', LANG: 'en_US.UTF-8', FERRY_ASCII: '1'}, 'linux'));
	t.is(symbolsFor({TERM: 'linux'}), asciiSymbols);
	t.is(symbolsFor({TERM: 'xterm', LANG: 'C.UTF-8'}), unicodeSymbols);
});

test('NO_COLOR and FORCE_COLOR=0 turn colour off', t => {
	t.false(colorEnabled({NO_COLOR: '1'}));
	t.false(colorEnabled({FORCE_COLOR: '0'}));
	t.true(colorEnabled({NO_COLOR: ''}));
});
