/** The local DataWorks' refusals that more than one of its modules makes, worded as the POP gateway and the service word them. */
import {StandInError} from '../stand-in-kit.js';

export {invalidParameter as invalid, missingParameter as missing} from '../alibaba-rpc/rpc-api.js';

export const noWorkspace = (name: string, region: string) => new StandInError(403, 'Forbidden.Access.ProjectNotExistOrNoPermission', `The workspace ${name} does not exist in region ${region} or you are not a member of it.`);

/** The record that was looked up by id, else the service's 404 for it (`what`: "deployment 12"). */
export function found<T>(record: T | undefined, code: string, what: string): T {
	if (record === undefined) {
		throw new StandInError(404, code, `The ${what} does not exist.`);
	}

	return record;
}
