#!/usr/bin/env node
// Thin entry: the runtime check, colour and broken-pipe handling before anything heavy loads, then main.
// `--version` answers from here so it starts as fast as node itself. This file must parse on old Node lines too,
// so that they get the runtime message instead of a syntax error from a dependency.
import module from 'node:module';
import process from 'node:process';
import {packageVersion} from './version.js';
import {unsupportedRuntimeMessage} from './runtime.js';
import {installSignalHandlers} from './signals.js';

// First of all: from here on no SIGINT, SIGTERM or SIGHUP meets Node's default action (signals.ts).
installSignalHandlers();
const argv = process.argv.slice(2);
const runtimeProblem = unsupportedRuntimeMessage(process.versions.node);

if (runtimeProblem) {
	process.stderr.write(`${runtimeProblem}\n`);
	process.exitCode = 3;
} else if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
	process.stdout.write(`${packageVersion()}\n`);
} else if (argv[0] === '__complete') {
	// A shell's Tab: answered by the completion module alone, before anything a command needs loads.
	module.enableCompileCache?.();
	const {completionOutput} = await import('./complete.js');
	process.stdout.write(completionOutput(argv.slice(1)));
} else {
	// Compiled modules are cached on disk (Node ≥ 22.1): the next start skips parsing Ink, React and the clients.
	module.enableCompileCache?.();
	// Chalk (inside Ink) ignores NO_COLOR by design, so it is translated before Ink loads.
	if ((process.env['NO_COLOR'] ?? '') !== '' || argv.includes('--no-color') || process.env['TERM'] === 'dumb') {
		process.env['FORCE_COLOR'] = '0';
	}

	const exitOnBrokenPipe = (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') {
			process.exit(0);
		}
	};

	// Node's own warnings (e.g. DEP0169 for url.parse inside the Alibaba Cloud SDKs' HTTP library) would print into the
	// middle of the terminal UI and throw its redraw off; they are shown only with FERRY_DEBUG=1.
	if (process.env['FERRY_DEBUG'] !== '1') {
		process.removeAllListeners('warning');
	}

	process.stdout.on('error', exitOnBrokenPipe);
	process.stderr.on('error', exitOnBrokenPipe);
	// A signal while the modules load is kept: a run or resume gets it as an interrupt at its first boundary (the
	// session saved), any other command stops with its code once loaded (signals.ts).
	const {main} = await import('./main.js');
	process.exitCode = await main(argv);
}
