#!/usr/bin/env node
// `npm start`: rebuilds ferry and the local cloud only when a source changed since the last build, then runs ferry in
// this same process.
import process from 'node:process';
import {ferryBundle} from '../packages/ferry/scripts/build.js';
import {localCloudBundle} from '../packages/local-cloud/scripts/build.js';

for (const bundle of [ferryBundle, localCloudBundle]) {
	if (bundle.isStale()) {
		await bundle.build();
	}
}

// npm announces the script it runs ("> ferry-workspace@0.1.0 start" and the command, between blank lines) unless it
// is silent; on a terminal those four lines are taken back so the screen shows ferry alone.
const npmAnnounced = process.env['npm_lifecycle_event'] === 'start' && process.env['npm_config_loglevel'] !== 'silent';
if (npmAnnounced && process.stdout.isTTY && !process.env['CI']) {
	process.stdout.write('\u001B[4A\r\u001B[J');
}

await import('../packages/ferry/distribution/ferry.js');
