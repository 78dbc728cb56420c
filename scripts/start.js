#!/usr/bin/env node
// `npm start`: rebuilds ferry only when a source changed since the last build, then runs it in this same process.
import process from 'node:process';
import {build, isStale} from './build.js';

if (isStale()) {
	await build();
}

// npm announces the script it runs ("> ferry@0.1.0 start" and the command, between blank lines) unless it is silent;
// on a terminal those four lines are taken back so the screen shows ferry alone.
const npmAnnounced = process.env['npm_lifecycle_event'] === 'start' && process.env['npm_config_loglevel'] !== 'silent';
if (npmAnnounced && process.stdout.isTTY && !process.env['CI']) {
	process.stdout.write('\u001B[4A\r\u001B[J');
}

await import('../distribution/ferry.js');
