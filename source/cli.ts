#!/usr/bin/env node
// Thin entry: colour and broken-pipe handling before anything heavy loads, then main.
// `--version` answers from here so it starts as fast as node itself.
import process from 'node:process';
import {packageVersion} from './version.js';

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
	process.stdout.write(`${packageVersion()}\n`);
} else {
	// Chalk (inside Ink) ignores NO_COLOR by design, so it is translated before Ink loads.
	if ((process.env['NO_COLOR'] ?? '') !== '' || argv.includes('--no-color') || process.env['TERM'] === 'dumb') {
		process.env['FORCE_COLOR'] = '0';
	}

	// ferry pins its AWS SDK version, so the SDK's notice about future releases needing Node 22 is not the user's to act on,
	// and a stray warning on stderr would tear the Ink screen.
	process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
	const exitOnBrokenPipe = (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') {
			process.exit(0);
		}
	};

	process.stdout.on('error', exitOnBrokenPipe);
	process.stderr.on('error', exitOnBrokenPipe);
	const {main} = await import('./main.js');
	process.exitCode = await main(argv);
}
