/**
 * DataHub's error answer: a non-2xx status, JSON `{"ErrorCode","ErrorMessage"}` and `x-datahub-request-id`
 * (DataHub API reference "统一错误返回格式", help.aliyun.com/zh/datahub/developer-reference/nerbcz; codes from
 * aliyun-datahub-sdk-python `datahub/exceptions.py`). Messages quoted from the SDKs' test fixtures where they exist.
 */
export class DataHubError extends Error {
	readonly status: number;
	readonly code: string;

	constructor(status: number, code: string, message: string) {
		super(message);
		this.name = 'DataHubError';
		this.status = status;
		this.code = code;
	}
}

export const invalidParameter = (message: string) => new DataHubError(400, 'InvalidParameter', message);
export const invalidSchema = (message: string) => new DataHubError(400, 'InvalidSchema', message);
export const malformedRecord = (message = 'The record is not well-formed.') => new DataHubError(400, 'MalformedRecord', message);
export const invalidCursor = () => new DataHubError(400, 'InvalidCursor', 'The cursor is invalid.');
export const seekOutOfRange = (message: string) => new DataHubError(400, 'SeekOutOfRange', message);
export const invalidUri = (message: string) => new DataHubError(400, 'InvalidUriSpec', message);
export const noSuchProject = (project: string) => new DataHubError(404, 'NoSuchProject', `The specified project ${project} does not exist.`);
export const noSuchTopic = (project: string, topic: string) => new DataHubError(404, 'NoSuchTopic', `The specified topic ${project}.${topic} does not exist.`);
export const noSuchShard = (shardId: string) => new DataHubError(404, 'NoSuchShard', `The specified shard ${shardId} does not exist.`);
export const noSuchConnector = (id: string) => new DataHubError(404, 'NoSuchConnector', `The specified connector ${id} does not exist.`);
export const projectExists = () => new DataHubError(409, 'ProjectAlreadyExist', 'The specified project already exists.');
export const topicExists = () => new DataHubError(409, 'TopicAlreadyExist', 'The specified topic already exists.');
export const connectorExists = () => new DataHubError(409, 'ConnectorAlreadyExist', 'The specified connector already exists.');
export const limitExceeded = (message: string) => new DataHubError(429, 'LimitExceeded', message);
export const operationDenied = (message: string) => new DataHubError(403, 'OperationDenied', message);
/** The API reference's own example answers an authentication failure with HTTP 403 and `Unauthorized`. */
export const unauthorized = (message: string) => new DataHubError(403, 'Unauthorized', message);
