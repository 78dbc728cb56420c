/**
 * Log Service's error answer: a non-2xx status, JSON `{"errorCode","errorMessage"}` and `x-log-requestid`
 * (doc "Error codes", help.aliyun.com/document_detail/29013). Codes and messages follow that table and the code list
 * in aliyun-log-go-sdk `error_code.go`; where the docs give no message the text is ours.
 */
import {StandInError} from '../stand-in-kit.js';

/** The error document of a refusal. */
export function logServiceErrorBody(refusal: StandInError): Record<string, string> {
	return {errorCode: refusal.code, errorMessage: refusal.message};
}

const error = (status: number, code: string) => (message: string) => new StandInError(status, code, message);

export const parameterInvalid = error(400, 'ParameterInvalid');
export const postBodyInvalid = error(400, 'PostBodyInvalid');
export const invalidCompressType = (type: string) => new StandInError(400, 'InvalidCompressType', `x-log-compresstype ${type} is unsupported.`);
export const postBodyUncompressError = error(400, 'PostBodyUncompressError');
export const missingBodyRawSize = () => new StandInError(400, 'MissingBodyRawSize', 'x-log-bodyrawsize does not exist in header when it is necessary.');
export const invalidBodyRawSize = error(400, 'InvalidBodyRawSize');
export const postBodyTooLarge = (size: number, limit: number) => new StandInError(413, 'PostBodyTooLarge', `Body size ${size} must little than ${limit}.`);
export const invalidContentType = (type: string) => new StandInError(415, 'InvalidContentType', `Content-Type ${type} is unsupported.`);
export const missingContentType = () => new StandInError(400, 'MissingContentType', 'Content-Type does not exist in http header when body is not empty.');
export const missingDate = () => new StandInError(400, 'MissingDate', 'Date does not exist in http header.');
export const invalidDateFormat = (date: string) => new StandInError(400, 'InvalidDateFormat', `Date ${date} must follow RFC822.`);
export const missingApiVersion = () => new StandInError(400, 'MissingAPIVersion', 'x-log-apiversion does not exist in http header.');
export const invalidApiVersion = (version: string) => new StandInError(400, 'InvalidAPIVersion', `x-log-apiversion ${version} is not supported.`);
export const missingSignatureMethod = () => new StandInError(400, 'MissingSignatureMethod', 'x-log-signaturemethod does not exist in http header.');
export const invalidSignatureMethod = (method: string) => new StandInError(400, 'InvalidSignatureMethod', `signature method ${method} is not supported.`);
export const invalidHost = (host: string) => new StandInError(400, 'InvalidHost', `Host header ${host} is invalid.`);
export const requestTimeExpired = (requestTime: string, serverTime: string) =>
	new StandInError(400, 'RequestTimeExpired', `Request time ${requestTime} has been expired while server time is ${serverTime}.`);
export const signatureNotMatch = (signature: string) => new StandInError(401, 'SignatureNotMatch', `Signature ${signature} not matched.`);
export const unauthorized = error(401, 'Unauthorized');
/** What the service answers for a key it does not know (aliyun-log-go-sdk `log_store_test.go` TestAccessIDNotExist, run against the service). */
export const accessKeyIdNotFound = (id: string) => new StandInError(401, 'Unauthorized', `AccessKeyId not found: ${id}`);
export const projectNotExist = (name: string) => new StandInError(404, 'ProjectNotExist', `The Project does not exist : ${name}`);
export const projectAlreadyExist = (name: string) => new StandInError(400, 'ProjectAlreadyExist', `Project ${name} already exist.`);
export const logStoreNotExist = (name: string) => new StandInError(404, 'LogStoreNotExist', `logstore ${name} does not exist`);
export const logStoreAlreadyExist = (name: string) => new StandInError(400, 'LogStoreAlreadyExist', `logstore ${name} already exists`);
export const indexAlreadyExist = () => new StandInError(400, 'IndexAlreadyExist', 'log store index is already created');
export const indexConfigNotExist = (message = 'index config doesn\'t exist') => new StandInError(404, 'IndexConfigNotExist', message);
export const notSupported = error(404, 'NotSupported');
