/**
 * What a test needs to call a running local cloud directly (beside ferry): its endpoints and keys, read from the
 * FERRY_HOME the test started it in.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';

export type LocalCloudAccess = {services: Record<string, string>; alibaba: {accessKeyId: string; accessKeySecret: string}};

export function localCloudAccess(home: string): LocalCloudAccess {
	const root = path.join(home, 'local-cloud');
	const state = JSON.parse(readFileSync(path.join(root, 'state.json'), 'utf8')) as {services: Record<string, string>};
	const credentials = JSON.parse(readFileSync(path.join(root, 'credentials.json'), 'utf8')) as {alibaba: {accessKeyId: string; accessKeySecret: string}};
	return {services: state.services, alibaba: credentials.alibaba};
}
