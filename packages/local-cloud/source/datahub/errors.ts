/**
 * DataHub's error answer: a non-2xx status, JSON `{"ErrorCode","ErrorMessage"}` and `x-datahub-request-id`
 * (DataHub API reference "统一错误返回格式", help.aliyun.com/zh/datahub/developer-reference/nerbcz; codes from
 * aliyun-datahub-sdk-python `datahub/exceptions.py`). Messages quoted from the SDKs' test fixtures where they exist.
 */
import {StandInError} from '../stand-in-kit.js';

/** The error document of a refusal. */
export function dataHubErrorBody(refusal: StandInError): Record<string, string> {
	return {ErrorCode: refusal.code, ErrorMessage: refusal.message};
}

export const invalidParameter = (message: string) => new StandInError(400, 'InvalidParameter', message);
export const invalidSchema = (message: string) => new StandInError(400, 'InvalidSchema', message);
export const malformedRecord = (message = 'The record is not well-formed.') => new StandInError(400, 'MalformedRecord', message);
export const invalidCursor = () => new StandInError(400, 'InvalidCursor', 'The cursor is invalid.');
export const seekOutOfRange = (message: string) => new StandInError(400, 'SeekOutOfRange', message);
export const invalidUri = (message: string) => new StandInError(400, 'InvalidUriSpec', message);
export const noSuchProject = (project: string) => new StandInError(404, 'NoSuchProject', `The specified project ${project} does not exist.`);
export const noSuchTopic = (project: string, topic: string) => new StandInError(404, 'NoSuchTopic', `The specified topic ${project}.${topic} does not exist.`);
export const noSuchShard = (shardId: string) => new StandInError(404, 'NoSuchShard', `The specified shard ${shardId} does not exist.`);
export const noSuchConnector = (id: string) => new StandInError(404, 'NoSuchConnector', `The specified connector ${id} does not exist.`);
export const projectExists = () => new StandInError(409, 'ProjectAlreadyExist', 'The specified project already exists.');
export const topicExists = () => new StandInError(409, 'TopicAlreadyExist', 'The specified topic already exists.');
export const connectorExists = () => new StandInError(409, 'ConnectorAlreadyExist', 'The specified connector already exists.');
export const limitExceeded = (message: string) => new StandInError(429, 'LimitExceeded', message);
export const operationDenied = (message: string) => new StandInError(403, 'OperationDenied', message);
/** The API reference's own example answers an authentication failure with HTTP 403 and `Unauthorized`. */
export const unauthorized = (message: string) => new StandInError(403, 'Unauthorized', message);
