/** The local DataWorks' refusals that more than one of its modules makes, worded as the POP gateway and the service word them. */
import {StandInError} from '../stand-in-kit.js';

export const missing = (name: string) => new StandInError(400, `MissingParameter.${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);

export const invalid = (name: string, why: string) => new StandInError(400, `InvalidParameter.${name}`, `The specified parameter "${name}" is invalid: ${why}`);

export const noWorkspace = (name: string, region: string) => new StandInError(403, 'Forbidden.Access.ProjectNotExistOrNoPermission', `The workspace ${name} does not exist in region ${region} or you are not a member of it.`);

/** The record that was looked up by id, else the service's 404 for it (`what`: "deployment 12"). */
export function found<T>(record: T | undefined, code: string, what: string): T {
	if (record === undefined) {
		throw new StandInError(404, code, `The ${what} does not exist.`);
	}

	return record;
}
