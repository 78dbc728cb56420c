/**
 * The S3 and OSS stand-ins: one S3 REST server on node:http with objects on disk. Every request is SigV4-checked
 * (OSS also takes its own V4 signature, OSS4-HMAC-SHA256); the OSS flavour also refuses what OSS refuses (V1
 * signatures, path-style addressing, aws-chunked bodies that are not signed chunk by chunk) with OSS's own error
 * shapes, and answers with OSS's upper-case ETags and CRC-64 header. A subresource it does not implement is
 * answered NotImplemented, never served as the plain object or bucket operation.
 */
import {createHash, randomBytes} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import type {Readable} from 'node:stream';
import {crc32} from 'node:zlib';
import {localAlibabaAccountId, localAwsAccountId, type StandInHandle} from '../contract.js';
import {createFaultPoint} from '../faults.js';
import type {AwsAccount, Caller} from '../iam/account.js';
import {verifySigV4} from '../sigv4.js';
import {serveStandIn, StandInError, type StandInReply, type StandInRequest} from '../stand-in-kit.js';
import {ossPermissions, type ObjectStoreAccess, type SignerKey} from './access.js';
import {AwsChunkedDecoder, type ChunkSigning} from './aws-chunked.js';
import {isOssV4Authorization, verifyOssV4} from './oss-v4.js';
import {objectArn, s3Permission} from './s3-permissions.js';
import {ObjectStorage, type BodyDigests, type ObjectRecord} from './storage.js';
import {unsupportedParameter, type Level} from './subresources.js';
import {parseXml, xmlDocument, type XmlElement} from './xml.js';

export type ObjectStoreFlavor = 's3' | 'oss';

export type ObjectStoreStandInOptions = {
	flavor: ObjectStoreFlavor;
	dataDir: string;
	region: string;
	credentials: {accessKeyId: string; secret: string};
	/** OSS only: the local RAM account's signers (RAM users, STS sessions) and what they may do; without it only `credentials` may sign, for everything. */
	access?: ObjectStoreAccess;
	/**
	 * S3 only: the local AWS account, whose IAM users' keys and role sessions are accepted too and authorized by
	 * their policies (its root, `credentials`, may do everything). Without it only `credentials` is accepted.
	 */
	account?: Pick<AwsAccount, 'keyHolder' | 'authorize'>;
	port?: number;
};

type Target = {bucket: string | undefined; key: string | undefined; query: URLSearchParams};

type RequestAuth = {
	scheme: 'aws-v4' | 'oss-v4';
	/** Who signed, as `access` knows them; undefined for the owner's keys without `access`. */
	principal?: unknown;
	/** The payload hash that was signed: a hex digest, `UNSIGNED-PAYLOAD` or a `STREAMING-*` marker. */
	payloadHash: string;
	/** For aws-chunked bodies signed chunk by chunk. */
	chunkSigning?: ChunkSigning;
	/** Who signed, when the stand-in checks identities (S3 with the local AWS account). */
	caller?: Caller;
};

type Context = {
	request: IncomingMessage;
	requestId: string;
	target: Target;
	auth: RequestAuth;
	/** Headers of the answer, gathered as the operation learns them. */
	headers: Record<string, string>;
};

const minimumPartSize = 5 * 1024 * 1024;
const maximumXmlBody = 2 * 1024 * 1024;
const defaultMessages: Record<string, string> = {
	SlowDown: 'Please reduce your request rate.',
	ServiceUnavailable: 'Please reduce your request rate.',
	InternalError: 'We encountered an internal error. Please try again.',
	AccessDenied: 'Access Denied',
	RequestTimeout: 'Your socket connection to the server was not read from or written to within the timeout period.',
};

/** OSS error codes (EC) its documentation gives for errors that have one regardless of the request. */
const ossErrorCodes: Record<string, string> = {
	NoSuchKey: '0026-00000001',
	NoSuchBucket: '0015-00000101',
};

/** OSS names itself where S3's messages name AWS. */
const ossMessages: Record<string, string> = {
	InvalidAccessKeyId: 'The OSS Access Key Id you provided does not exist in our records.',
};

/** The continuation token is opaque to clients; a digest makes a garbled or foreign one detectable. */
/**
 * S3 "General purpose bucket naming rules": 3–63 lower-case letters, digits, dots and hyphens, a letter or digit at
 * both ends, no "..", not an IP address, none of the reserved prefixes and suffixes. OSS: the same without dots.
 */
function validBucketName(bucket: string, oss: boolean): boolean {
	if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..') || (oss && bucket.includes('.'))) {
		return false;
	}

	return oss || !(/^\d+\.\d+\.\d+\.\d+$/.test(bucket) || /^(xn--|sthree-|amzn-s3-demo-)/.test(bucket) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(bucket));
}

function makeContinuationToken(key: string): string {
	const check = createHash('sha256').update(`ferry-list-v2\n${key}`).digest().subarray(0, 8);
	return Buffer.concat([check, Buffer.from(key, 'utf8')]).toString('base64url');
}

function keyFromContinuationToken(token: string): string | undefined {
	const raw = Buffer.from(token, 'base64url');
	if (token === '' || raw.toString('base64url') !== token || raw.length <= 8) {
		return undefined;
	}

	const key = raw.subarray(8).toString('utf8');
	return makeContinuationToken(key) === token ? key : undefined;
}

export async function startObjectStoreStandIn(options: ObjectStoreStandInOptions): Promise<StandInHandle> {
	const storage = new ObjectStorage(options.dataDir);
	await storage.open();
	const server = new ObjectStoreServer(options, storage);
	const {port, stop} = await server.serve();
	return {
		name: options.flavor,
		url: options.flavor === 'oss' ? `http://oss-${options.region}.localhost:${port}` : `http://127.0.0.1:${port}`,
		port,
		injectFault(fault) {
			server.faults.inject(fault);
		},
		close: stop,
	};
}

class ObjectStoreServer {
	readonly faults = createFaultPoint();
	private readonly options: ObjectStoreStandInOptions;
	private readonly storage: ObjectStorage;
	private readonly ossBaseHost: string;

	constructor(options: ObjectStoreStandInOptions, storage: ObjectStorage) {
		this.options = options;
		this.storage = storage;
		this.ossBaseHost = `oss-${options.region}.localhost`;
	}

	private get isOss(): boolean {
		return this.options.flavor === 'oss';
	}

	/** Serves S3 or OSS on the stand-in kit: bodies are streamed, and checked against their digests as they arrive. */
	async serve() {
		return serveStandIn({
			port: this.options.port,
			faults: this.faults,
			requestId: () => randomBytes(12).toString('hex').toUpperCase(),
			body: 'streamed',
			faultError: fault => new StandInError(fault.status, fault.code, defaultMessages[fault.code] ?? fault.code),
			authenticate: async request => this.admit(request.incoming),
			route: async (request, admitted) => this.route({request: request.incoming, requestId: request.id, ...admitted, headers: {}}),
			errorBody: (error, request) => this.errorDocument(error, request),
			errorHeaders: (error, request) => this.errorHeaders(error, request),
			internalError: () => new StandInError(500, 'InternalError', defaultMessages.InternalError!),
			headers: request => ({[this.isOss ? 'x-oss-request-id' : 'x-amz-request-id']: request.id, Server: this.isOss ? 'AliyunOSS' : 'AmazonS3'}),
		});
	}

	/** The bucket and key a request names and who signed it, once the signature and (OSS with RAM) the permissions allow it. */
	private async admit(request: IncomingMessage): Promise<Pick<Context, 'target' | 'auth'>> {
		const target = this.resolveTarget(request);
		const auth = await this.authenticate(request, target);
		if (this.isOss && this.options.access) {
			for (const permission of ossPermissions(request, target, this.copySourceHeader(request))) {
				this.authorizeOss(auth, permission.action, permission.bucket, permission.key);
			}
		}

		return {target, auth};
	}

	/**
	 * OSS's refusal of a request RAM does not allow: an explicit Deny is "Access denied by bucket policy."
	 * (EC 0003-00000201), no Allow at all the RAM user's "You have no right to access this object because of bucket
	 * acl." (EC 0003-00000001, which OSS documents for a RAM user or STS key lacking the permission).
	 */
	private authorizeOss(auth: RequestAuth, action: string, bucket: string | undefined, key: string | undefined): void {
		if (!this.options.access || auth.principal === undefined) {
			return;
		}

		const decision = this.options.access.decide(auth.principal, action, bucket, key);
		if (decision === 'explicitDeny') {
			throw new StandInError(403, 'AccessDenied', 'Access denied by bucket policy.', {EC: '0003-00000201'});
		}

		if (decision === 'implicitDeny') {
			throw new StandInError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.', {EC: '0003-00000001'});
		}
	}

	/**
	 * A disabled key, or an STS key without its token, with another one or past its expiration, is refused as OSS
	 * refuses it (403 Errors of "How to troubleshoot 403": InvalidAccessKeyId; EC 0002-00000003 for an STS key sent
	 * without the STS method; AccessKeyIdAndSecurityTokenNotMatch; SecurityTokenExpired, whose text is not in the pages
	 * read offline).
	 */
	private checkSigner(request: IncomingMessage, key: SignerKey, scheme: RequestAuth['scheme']): void {
		if (key.disabled) {
			throw new StandInError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided is disabled.');
		}

		const header = scheme === 'oss-v4' ? 'x-oss-security-token' : 'x-amz-security-token';
		const token = firstValue(request.headers[header]) ?? firstValue(request.headers['x-oss-security-token']);
		if (key.securityToken === undefined) {
			return;
		}

		if (token === undefined) {
			throw new StandInError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {EC: '0002-00000003'});
		}

		if (token !== key.securityToken) {
			throw new StandInError(403, 'AccessKeyIdAndSecurityTokenNotMatch', 'The OSS access key id and security token you provided does not match.');
		}

		if (key.expired) {
			throw new StandInError(403, 'SecurityTokenExpired', 'The security token you provided has expired.');
		}
	}

	private async authenticate(request: IncomingMessage, target: Target): Promise<RequestAuth> {
		const authorization = request.headers.authorization ?? '';
		const {access, account} = this.options;
		const lookupSecret = (id: string) => (access ? access.keyOf(id)?.secret : account ? account.keyHolder(id)?.secret : id === this.options.credentials.accessKeyId ? this.options.credentials.secret : undefined);
		const signedBy = (scheme: RequestAuth['scheme'], accessKeyId: string): Pick<RequestAuth, 'principal'> => {
			const key = access?.keyOf(accessKeyId);
			if (!key) {
				return {};
			}

			this.checkSigner(request, key, scheme);
			return {principal: key.principal};
		};

		if (/^(AWS|OSS) [^:\s]+:/.test(authorization)) {
			throw this.isOss
				// OSS no longer accepts V1 signatures (EC 0002-00000080, a 403); the documentation gives the EC, not the message text.
				? new StandInError(403, 'AccessDenied', 'The V1 signature is no longer supported. Use the V4 signature.', {EC: '0002-00000080'})
				: new StandInError(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
		}

		if (this.isOss && isOssV4Authorization(authorization)) {
			const result = verifyOssV4(request, {region: this.options.region, bucket: target.bucket, key: target.key, lookupSecret});
			if (!result.ok) {
				throw new StandInError(result.status, result.code, result.message, result.extra);
			}

			return {scheme: 'oss-v4', payloadHash: result.payloadHash, ...signedBy('oss-v4', result.accessKeyId)};
		}

		const result = await verifySigV4(request, {service: 's3', region: this.options.region, lookupSecret, acceptAnyRegion: this.isOss});
		if (!result.ok) {
			const extra: Record<string, string> = {};
			if (result.accessKeyId) {
				extra.AWSAccessKeyId = result.accessKeyId;
			}

			if (result.stringToSign && result.canonicalRequest) {
				extra.StringToSign = result.stringToSign;
				extra.CanonicalRequest = result.canonicalRequest;
			}

			if (result.reason === 'wrong-region') {
				extra.Region = this.options.region;
			}

			if (this.isOss && result.reason === 'bad-signature') {
				extra.EC = '0002-00000429';
			}

			const message = this.isOss
				? ossMessages[result.s3Code] ?? result.message.replace('AWS authentication', 'OSS authentication')
				: result.message;
			throw new StandInError(result.status, result.s3Code, message, extra);
		}

		return {
			scheme: 'aws-v4',
			...signedBy('aws-v4', result.accessKeyId),
			payloadHash: result.payloadHash,
			chunkSigning: {signingKey: result.signingKey, amzDate: result.amzDate, scope: result.scope, seedSignature: result.signature},
			...(account ? {caller: this.sessionCaller(request, target, result.accessKeyId)} : {}),
		};
	}

	/**
	 * The caller behind a verified key, once its session token checks out: a role session's key needs its token
	 * (x-amz-security-token, or X-Amz-Security-Token when presigned), and a token that has expired is refused.
	 */
	private sessionCaller(request: IncomingMessage, target: Target, accessKeyId: string): Caller {
		const holder = this.options.account!.keyHolder(accessKeyId)!;
		const token = firstValue(request.headers['x-amz-security-token']) ?? target.query.get('X-Amz-Security-Token') ?? undefined;
		if (holder.sessionToken === undefined && token !== undefined) {
			throw new StandInError(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
		}

		if (holder.sessionToken !== undefined) {
			if (token === undefined) {
				throw new StandInError(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {AWSAccessKeyId: accessKeyId});
			}

			if (token !== holder.sessionToken) {
				throw new StandInError(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
			}

			if ((holder.expiresAt ?? Infinity) <= Date.now()) {
				throw new StandInError(400, 'ExpiredToken', 'The provided token has expired.');
			}
		}

		return holder.caller;
	}

	/** S3's AccessDenied, with the newer message that names the caller, the action and the resource. */
	private authorize(context: Context, action: string, resource: string, conditions?: Record<string, string>): void {
		const {caller} = context.auth;
		if (!caller) {
			return;
		}

		const result = this.options.account!.authorize(caller, {action, resource, ...(conditions ? {context: conditions} : {})}, {quoteResource: true});
		if (result.decision !== 'allowed') {
			throw new StandInError(403, 'AccessDenied', result.message);
		}
	}

	/** OSS shows ETags as upper-case hex; S3 as lower-case. Records keep S3's form. */
	private etag(etag: string): string {
		return this.isOss ? etag.toUpperCase() : etag;
	}

	private sameEtag(header: string, etag: string): boolean {
		return header.split(',').map(value => value.trim().toLowerCase()).includes(etag.toLowerCase());
	}

	private resolveTarget(request: IncomingMessage): Target {
		const url = new URL(request.url ?? '/', 'http://placeholder');
		const hostname = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
		const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
		const decodedPath = decodeURIComponent(rawPath);
		let virtualBucket: string | undefined;
		const bases = this.isOss ? [this.ossBaseHost] : [`s3.${this.options.region}.localhost`, 's3.localhost', 'localhost'];
		for (const base of bases) {
			if (hostname.endsWith(`.${base}`)) {
				virtualBucket = hostname.slice(0, -(base.length + 1));
				break;
			}
		}

		if (virtualBucket !== undefined) {
			const key = decodedPath.slice(1);
			return {bucket: virtualBucket, key: key === '' ? undefined : key, query: url.searchParams};
		}

		const [, bucket = '', ...rest] = decodedPath.split('/');
		if (bucket !== '' && this.isOss) {
			throw new StandInError(403, 'SecondLevelDomainForbidden', 'Please use virtual hosted style to access.');
		}

		const key = rest.join('/');
		return {bucket: bucket === '' ? undefined : bucket, key: key === '' ? undefined : key, query: url.searchParams};
	}

	private async route(context: Context): Promise<StandInReply> {
		const {request, target} = context;
		const method = request.method ?? 'GET';
		const {bucket, key, query} = target;
		const level: Level = bucket === undefined ? 'service' : key === undefined ? 'bucket' : 'object';
		const unsupported = unsupportedParameter(level, method, query.keys());
		if (unsupported !== undefined) {
			throw this.notImplemented(`${method} with the ${unsupported} parameter is not implemented by the local ${this.isOss ? 'OSS' : 'S3'} stand-in.`);
		}

		const permission = s3Permission(method, bucket, key, query);
		if (permission) {
			this.authorize(context, permission.action, permission.resource, permission.context);
		}

		if (bucket === undefined) {
			if (method === 'GET') {
				return this.listBuckets(context);
			}

			throw new StandInError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
		}

		if (key === undefined) {
			switch (method) {
				case 'PUT': {
					return this.createBucket(context, bucket);
				}

				case 'HEAD': {
					await this.storage.requireBucket(bucket);
					return this.send(context, 200);
				}

				case 'DELETE': {
					await this.storage.deleteBucket(bucket);
					return this.send(context, 204);
				}

				case 'GET': {
					if (query.has('location')) {
						await this.storage.requireBucket(bucket);
						return this.sendXml(context, 200, xmlDocument('LocationConstraint', {}).replace('></LocationConstraint>', `>${this.options.region}</LocationConstraint>`));
					}

					return this.listObjects(context, bucket, query.get('list-type') === '2');
				}

				case 'POST': {
					if (query.has('delete')) {
						return this.deleteObjects(context, bucket);
					}

					break;
				}

				default: {
					break;
				}
			}

			throw this.notImplemented();
		}

		if (method === 'PUT' || method === 'POST') {
			this.checkKeyLength(key);
		}

		switch (method) {
			case 'PUT': {
				if (query.has('uploadId') || query.has('partNumber')) {
					return this.uploadPart(context, bucket, key);
				}

				if (this.copySourceHeader(request) !== undefined) {
					return this.copyObject(context, bucket, key);
				}

				return this.putObject(context, bucket, key);
			}

			case 'GET':
			case 'HEAD': {
				return this.getObject(context, bucket, key, method === 'HEAD');
			}

			case 'DELETE': {
				if (query.has('uploadId')) {
					await this.storage.abortUpload(bucket, key, query.get('uploadId') ?? '');
					return this.send(context, 204);
				}

				await this.storage.delete(bucket, key);
				return this.send(context, 204);
			}

			case 'POST': {
				if (query.has('uploads')) {
					const uploadId = await this.storage.createUpload(bucket, key, request.headers['content-type'], this.userMetadata(request));
					await this.drain(context);
					return this.sendXml(context, 200, xmlDocument('InitiateMultipartUploadResult', {Bucket: bucket, Key: key, UploadId: uploadId}));
				}

				if (query.has('uploadId')) {
					return this.completeUpload(context, bucket, key);
				}

				break;
			}

			default: {
				break;
			}
		}

		throw this.notImplemented();
	}

	private notImplemented(message = 'A header you provided implies functionality that is not implemented'): StandInError {
		return new StandInError(501, 'NotImplemented', message);
	}

	private copySourceHeader(request: IncomingMessage): string | undefined {
		return firstValue(request.headers['x-amz-copy-source']) ?? (this.isOss ? firstValue(request.headers['x-oss-copy-source']) : undefined);
	}

	private owner(): XmlElement {
		return this.isOss
			? {ID: localAlibabaAccountId, DisplayName: localAlibabaAccountId}
			: {ID: createHash('sha256').update(`ferry-local-${localAwsAccountId}`).digest('hex'), DisplayName: 'ferry-local'};
	}

	private async listBuckets(context: Context): Promise<StandInReply> {
		const {query} = context.target;
		const prefix = query.get('prefix') ?? '';
		const after = query.get('continuation-token') ?? '';
		const maxText = query.get('max-buckets');
		const max = maxText === null ? 10_000 : Number(maxText);
		if (!Number.isInteger(max) || max < 1 || max > 10_000) {
			throw new StandInError(400, 'InvalidArgument', 'Argument max-buckets must be an integer between 1 and 10000.', {ArgumentName: 'max-buckets', ArgumentValue: maxText ?? ''});
		}

		const matching = (await this.storage.listBuckets()).filter(bucket => bucket.name.startsWith(prefix) && bucket.name > after);
		const page = matching.slice(0, max);
		return this.sendXml(context, 200, xmlDocument('ListAllMyBucketsResult', {
			Owner: this.owner(),
			Buckets: {Bucket: page.map(bucket => ({Name: bucket.name, CreationDate: bucket.created}))},
			ContinuationToken: matching.length > max ? page.at(-1)!.name : undefined,
			Prefix: query.has('prefix') ? prefix : undefined,
		}));
	}

	private async createBucket(context: Context, bucket: string): Promise<StandInReply> {
		if (!validBucketName(bucket, this.isOss)) {
			throw new StandInError(400, 'InvalidBucketName', 'The specified bucket is not valid.', {BucketName: bucket});
		}

		const body = await this.readSmallBody(context);
		if (body.length > 0) {
			const location = (parseXml(body.toString('utf8'))?.CreateBucketConfiguration as {LocationConstraint?: string} | undefined)?.LocationConstraint;
			if (location && location !== this.options.region) {
				throw new StandInError(400, 'IllegalLocationConstraintException', `The ${location} location constraint is incompatible for the region specific endpoint this request was sent to.`);
			}
		}

		if (await this.storage.createBucket(bucket) === 'exists') {
			throw this.isOss
				? new StandInError(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', {BucketName: bucket})
				: new StandInError(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', {BucketName: bucket});
		}

		this.setHeader(context, 'Location', `/${bucket}`);
		return this.send(context, 200);
	}

	private async listObjects(context: Context, bucket: string, v2: boolean): Promise<StandInReply> {
		const {query} = context.target;
		const keys = await this.storage.keys(bucket);
		const records = await this.storage.records(bucket);
		const prefix = query.get('prefix') ?? '';
		const delimiter = query.get('delimiter') ?? '';
		const maxKeysText = query.get('max-keys');
		const maxKeys = maxKeysText === null ? 1000 : Number(maxKeysText);
		if (!Number.isInteger(maxKeys) || maxKeys < 0) {
			throw new StandInError(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', {ArgumentName: 'max-keys', ArgumentValue: maxKeysText ?? ''});
		}

		const limit = Math.min(maxKeys, 1000);
		const encodeUrl = query.get('encoding-type') === 'url';
		const encode = (value: string) => (encodeUrl ? encodeURIComponent(value).replaceAll('%2F', '/') : value);
		let after = '';
		const continuationToken = query.get('continuation-token');
		if (v2) {
			if (continuationToken !== null) {
				const decoded = keyFromContinuationToken(continuationToken);
				if (decoded === undefined) {
					throw new StandInError(400, 'InvalidArgument', 'The continuation token provided is incorrect', {ArgumentName: 'continuation-token', ArgumentValue: continuationToken});
				}

				after = decoded;
			} else {
				after = query.get('start-after') ?? '';
			}
		} else {
			after = query.get('marker') ?? '';
		}

		const contents: ObjectRecord[] = [];
		const commonPrefixes: string[] = [];
		let index = keys.findIndex(key => Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0 && key.startsWith(prefix));
		if (index === -1) {
			index = keys.length;
		}

		let lastKey = '';
		let truncated = false;
		while (index < keys.length) {
			const key = keys[index]!;
			if (!key.startsWith(prefix)) {
				if (key > prefix) {
					break;
				}

				index++;
				continue;
			}

			if (contents.length + commonPrefixes.length >= limit) {
				truncated = true;
				break;
			}

			const delimiterAt = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
			if (delimiterAt === -1) {
				contents.push(records.get(key)!);
				lastKey = key;
				index++;
				continue;
			}

			const common = key.slice(0, delimiterAt + delimiter.length);
			commonPrefixes.push(common);
			while (index < keys.length && keys[index]!.startsWith(common)) {
				lastKey = keys[index]!;
				index++;
			}
		}

		const entries = {
			Contents: contents.map(record => ({
				Key: encode(record.key),
				LastModified: record.lastModified,
				ETag: this.etag(record.etag),
				Size: record.size,
				StorageClass: this.isOss ? 'Standard' : 'STANDARD',
			})),
			CommonPrefixes: commonPrefixes.map(common => ({Prefix: encode(common)})),
		};
		const body: XmlElement = v2
			? {
				Name: bucket,
				Prefix: encode(prefix),
				Delimiter: delimiter ? encode(delimiter) : undefined,
				MaxKeys: maxKeys,
				EncodingType: encodeUrl ? 'url' : undefined,
				KeyCount: contents.length + commonPrefixes.length,
				IsTruncated: truncated,
				ContinuationToken: continuationToken ?? undefined,
				NextContinuationToken: truncated ? makeContinuationToken(lastKey) : undefined,
				StartAfter: query.get('start-after') ?? undefined,
				...entries,
			}
			: {
				Name: bucket,
				Prefix: encode(prefix),
				Marker: encode(after),
				MaxKeys: maxKeys,
				Delimiter: delimiter ? encode(delimiter) : undefined,
				EncodingType: encodeUrl ? 'url' : undefined,
				IsTruncated: truncated,
				NextMarker: truncated && delimiter ? encode(lastKey) : undefined,
				...entries,
			};
		return this.sendXml(context, 200, xmlDocument('ListBucketResult', body));
	}

	/** Wraps the request body: aws-chunked framing removed, and a check of every digest the request declared. */
	private bodyOf(context: Context): {body: Readable; wantSha256: boolean; verify: (digests: BodyDigests) => void; crc32Header: () => string | undefined} {
		const {request, auth} = context;
		const contentEncoding = String(request.headers['content-encoding'] ?? '');
		const payloadHash = auth.payloadHash;
		const chunked = contentEncoding.split(',').map(value => value.trim()).includes('aws-chunked') || payloadHash.startsWith('STREAMING-');
		let body: Readable = request;
		let decoder: AwsChunkedDecoder | undefined;
		if (chunked) {
			const signedChunks = payloadHash === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
			if (this.isOss && !signedChunks) {
				throw new StandInError(400, 'InvalidArgument', 'aws-chunked encoding is not supported with the specified x-amz-content-sha256 value.', {
					ArgumentName: 'Content-Encoding',
					ArgumentValue: 'aws-chunked',
					EC: '0017-00000804',
				});
			}

			if (!['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'].includes(payloadHash) || (signedChunks && !auth.chunkSigning)) {
				throw this.notImplemented();
			}

			decoder = new AwsChunkedDecoder(signedChunks ? auth.chunkSigning : undefined);
			body = request.pipe(decoder);
			request.on('error', error => decoder!.destroy(error));
		}

		const declaredSha256 = /^[0-9a-f]{64}$/.test(payloadHash) ? payloadHash : undefined;
		const contentMd5 = firstValue(request.headers['content-md5']);
		const decodedLength = firstValue(request.headers['x-amz-decoded-content-length']);
		const crc32Header = () => firstValue(request.headers['x-amz-checksum-crc32']) ?? decoder?.trailers.get('x-amz-checksum-crc32');
		const verify = (digests: BodyDigests) => {
			if (declaredSha256 && digests.sha256 !== declaredSha256) {
				throw new StandInError(400, 'XAmzContentSHA256Mismatch', 'The provided \'x-amz-content-sha256\' header does not match what was computed.', {
					ClientComputedContentSHA256: declaredSha256,
					S3ComputedContentSHA256: digests.sha256 ?? '',
				});
			}

			if (contentMd5 !== undefined) {
				if (Buffer.from(contentMd5, 'base64').length !== 16) {
					throw new StandInError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', {'Content-MD5': contentMd5});
				}

				if (Buffer.from(contentMd5, 'base64').compare(digests.md5) !== 0) {
					throw new StandInError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', {ExpectedDigest: contentMd5, CalculatedDigest: digests.md5.toString('base64')});
				}
			}

			const crc = crc32Header();
			if (crc !== undefined) {
				const computed = Buffer.alloc(4);
				computed.writeUInt32BE(digests.crc32 >>> 0);
				if (computed.toString('base64') !== crc) {
					throw new StandInError(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
				}
			}

			if (decodedLength !== undefined && Number(decodedLength) !== digests.size) {
				throw new StandInError(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
			}
		};

		return {body, wantSha256: declaredSha256 !== undefined, verify, crc32Header};
	}

	/** Conditional writes: S3's `If-None-Match: *` and OSS's `x-oss-forbid-overwrite: true` must never replace an object. */
	private async refuseOverwrite(context: Context, bucket: string, key: string): Promise<void> {
		const {request} = context;
		const ifNoneMatch = firstValue(request.headers['if-none-match'])?.trim();
		const forbidOverwrite = this.isOss && firstValue(request.headers['x-oss-forbid-overwrite'])?.toLowerCase() === 'true';
		if (ifNoneMatch === undefined && !forbidOverwrite) {
			return;
		}

		if (ifNoneMatch !== undefined && ifNoneMatch !== '*') {
			throw this.notImplemented('If-None-Match on a write only supports *.');
		}

		if (!(await this.storage.records(bucket)).has(key)) {
			return;
		}

		throw forbidOverwrite
			? new StandInError(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.')
			: new StandInError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {Condition: 'If-None-Match'});
	}

	/** S3 keys are at most 1,024 bytes of UTF-8 ("Naming Amazon S3 objects"); OSS object names 1–1,023 bytes. */
	private checkKeyLength(key: string): void {
		const bytes = Buffer.byteLength(key);
		if (this.isOss && bytes > 1023) {
			throw new StandInError(400, 'InvalidObjectName', 'The specified object is not valid.', {ObjectName: key});
		}

		if (!this.isOss && bytes > 1024) {
			throw new StandInError(400, 'KeyTooLongError', 'Your key is too long', {Size: String(bytes), MaxSizeAllowed: '1024'});
		}
	}

	private async putObject(context: Context, bucket: string, key: string): Promise<StandInReply> {
		await this.storage.requireBucket(bucket);
		await this.refuseOverwrite(context, bucket, key);
		const {body, wantSha256, verify, crc32Header} = this.bodyOf(context);
		const record = await this.storage.put(bucket, key, body, {
			contentType: context.request.headers['content-type'],
			metadata: this.userMetadata(context.request),
			wantSha256,
			verify,
		});
		this.setHeader(context, 'ETag', this.etag(record.etag));
		if (crc32Header()) {
			this.setHeader(context, 'x-amz-checksum-crc32', record.checksumCrc32 ?? '');
		}

		this.setCrc64(context, record.crc64);
		return this.send(context, 200);
	}

	private setCrc64(context: Context, crc64: string | undefined): void {
		if (this.isOss && crc64 !== undefined) {
			this.setHeader(context, 'x-oss-hash-crc64ecma', crc64);
		}
	}

	private async uploadPart(context: Context, bucket: string, key: string): Promise<StandInReply> {
		const {query} = context.target;
		const partNumber = Number(query.get('partNumber'));
		if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
			throw new StandInError(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', {ArgumentName: 'partNumber', ArgumentValue: query.get('partNumber') ?? ''});
		}

		if (this.copySourceHeader(context.request) !== undefined) {
			throw this.notImplemented('UploadPartCopy is not implemented by the local stand-in.');
		}

		const {body, wantSha256, verify, crc32Header} = this.bodyOf(context);
		const part = await this.storage.putPart(bucket, key, query.get('uploadId') ?? '', partNumber, body, {wantSha256, verify});
		this.setHeader(context, 'ETag', this.etag(part.etag));
		if (crc32Header()) {
			this.setHeader(context, 'x-amz-checksum-crc32', part.checksumCrc32 ?? '');
		}

		this.setCrc64(context, part.crc64);

		return this.send(context, 200);
	}

	private async completeUpload(context: Context, bucket: string, key: string): Promise<StandInReply> {
		const body = await this.readSmallBody(context);
		const parsed = parseXml(body.toString('utf8'))?.CompleteMultipartUpload as {Part?: Array<{PartNumber?: string; ETag?: string}>} | undefined;
		if (!parsed?.Part) {
			throw new StandInError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
		}

		const parts = parsed.Part.map(part => ({partNumber: Number(part.PartNumber), etag: part.ETag ?? ''}));
		const record = await this.storage.completeUpload(bucket, key, context.target.query.get('uploadId') ?? '', parts, minimumPartSize);
		this.setCrc64(context, record.crc64);
		return this.sendXml(context, 200, xmlDocument('CompleteMultipartUploadResult', {
			Location: `http://${context.request.headers.host ?? ''}/${bucket}/${encodeURIComponent(key)}`,
			Bucket: bucket,
			Key: key,
			ETag: this.etag(record.etag),
		}));
	}

	private async copyObject(context: Context, bucket: string, key: string): Promise<StandInReply> {
		const {request} = context;
		const [rawSource = '', sourceQuery = ''] = (this.copySourceHeader(request) ?? '').split('?');
		const versionId = new URLSearchParams(sourceQuery).get('versionId');
		if (versionId !== null && versionId !== 'null') {
			throw this.notImplemented('Copying a version of an object is not implemented by the local stand-in.');
		}

		const source = decodeURIComponent(rawSource).replace(/^\//, '');
		const slash = source.indexOf('/');
		if (slash <= 0) {
			throw new StandInError(400, 'InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', {ArgumentName: 'x-amz-copy-source'});
		}

		this.authorize(context, 's3:GetObject', objectArn(source.slice(0, slash), source.slice(slash + 1)));

		await this.refuseOverwrite(context, bucket, key);
		await this.drain(context);
		const directive = firstValue(request.headers['x-amz-metadata-directive']) ?? (this.isOss ? firstValue(request.headers['x-oss-metadata-directive']) : undefined) ?? 'COPY';
		const replace = directive.toUpperCase() === 'REPLACE'
			? {contentType: request.headers['content-type'], metadata: this.userMetadata(request)}
			: undefined;
		const record = await this.storage.copy(source.slice(0, slash), source.slice(slash + 1), bucket, key, replace);
		this.setCrc64(context, record.crc64);
		return this.sendXml(context, 200, xmlDocument('CopyObjectResult', {LastModified: record.lastModified, ETag: this.etag(record.etag)}));
	}

	private async getObject(context: Context, bucket: string, key: string, headOnly: boolean): Promise<StandInReply> {
		const {request} = context;
		const record = await this.storage.head(bucket, key);
		await this.drain(context);
		const etag = this.etag(record.etag);
		const ifNoneMatch = request.headers['if-none-match'];
		if (ifNoneMatch && (this.sameEtag(ifNoneMatch, etag) || ifNoneMatch.trim() === '*')) {
			this.setHeader(context, 'ETag', etag);
			return this.send(context, 304);
		}

		const ifMatch = request.headers['if-match'];
		if (ifMatch && !this.sameEtag(ifMatch, etag) && ifMatch.trim() !== '*') {
			throw new StandInError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {Condition: 'If-Match'});
		}

		let range: {start: number; end: number} | undefined;
		const rangeHeader = request.headers.range;
		if (rangeHeader) {
			range = parseRange(rangeHeader, record.size);
			if (range === undefined) {
				throw new StandInError(416, 'InvalidRange', 'The requested range is not satisfiable', {RangeRequested: rangeHeader, ActualObjectSize: String(record.size)});
			}
		}

		this.setHeader(context, 'ETag', etag);
		this.setHeader(context, 'Last-Modified', new Date(record.lastModified).toUTCString());
		this.setHeader(context, 'Content-Type', record.contentType);
		this.setHeader(context, 'Accept-Ranges', 'bytes');
		const metaPrefix = context.auth.scheme === 'oss-v4' ? 'x-oss-meta-' : 'x-amz-meta-';
		for (const [name, value] of Object.entries(record.metadata)) {
			this.setHeader(context, `${metaPrefix}${name}`, value);
		}

		if (this.isOss) {
			this.setHeader(context, 'x-oss-hash-crc64ecma', await this.storage.crc64(bucket, record));
			this.setHeader(context, 'x-oss-object-type', /-\d+"$/.test(record.etag) ? 'Multipart' : 'Normal');
			this.setHeader(context, 'x-oss-storage-class', 'Standard');
		}

		for (const [name, header] of [['response-content-type', 'Content-Type'], ['response-content-language', 'Content-Language'], ['response-expires', 'Expires'], ['response-cache-control', 'Cache-Control'], ['response-content-disposition', 'Content-Disposition'], ['response-content-encoding', 'Content-Encoding']] as const) {
			const value = context.target.query.get(name);
			if (value !== null) {
				this.setHeader(context, header, value);
			}
		}

		if (range) {
			this.setHeader(context, 'Content-Range', `bytes ${range.start}-${range.end}/${record.size}`);
			this.setHeader(context, 'Content-Length', String(range.end - range.start + 1));
		} else {
			this.setHeader(context, 'Content-Length', String(record.size));
		}

		const status = range ? 206 : 200;
		if (headOnly || record.size === 0) {
			return {status, headers: context.headers};
		}

		// Streamed: a read that fails half-way drops the connection, so the client never takes a cut object for a whole one.
		return {status, headers: context.headers, body: this.storage.read(bucket, record, range)};
	}

	private async deleteObjects(context: Context, bucket: string): Promise<StandInReply> {
		const {request} = context;
		if (!request.headers['content-md5'] && (this.isOss || !Object.keys(request.headers).some(name => name.startsWith('x-amz-checksum-')))) {
			throw new StandInError(400, 'InvalidRequest', 'Missing required header for this request: Content-MD5');
		}

		await this.storage.requireBucket(bucket);
		const raw = await this.readSmallBody(context);
		const parsed = parseXml(raw.toString('utf8'))?.Delete as {Object?: Array<{Key?: string}>; Quiet?: string} | undefined;
		if (!parsed?.Object || parsed.Object.length > 1000) {
			throw new StandInError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
		}

		const deleted: XmlElement[] = [];
		const failed: XmlElement[] = [];
		for (const entry of parsed.Object) {
			const key = String(entry.Key ?? '');
			try {
				// Each key is its own s3:DeleteObject (oss:DeleteObject); a denied one is reported among the errors, the others still go.
				if (this.isOss) {
					this.authorizeOss(context.auth, 'oss:DeleteObject', bucket, key);
				} else {
					this.authorize(context, 's3:DeleteObject', objectArn(bucket, key));
				}
			} catch (error) {
				if (error instanceof StandInError) {
					failed.push({Key: key, Code: error.code, Message: 'Access Denied'});
					continue;
				}

				throw error;
			}

			await this.storage.delete(bucket, key);
			deleted.push({Key: key});
		}

		return this.sendXml(context, 200, xmlDocument('DeleteResult', {Deleted: parsed.Quiet === 'true' ? undefined : deleted, Error: failed.length > 0 ? failed : undefined}));
	}

	/** Reads a small XML body, honouring the same digest checks as object bodies. */
	private async readSmallBody(context: Context): Promise<Buffer> {
		const {body, wantSha256, verify} = this.bodyOf(context);
		const chunks: Buffer[] = [];
		let size = 0;
		const md5 = createHash('md5');
		const sha256 = createHash('sha256');
		for await (const chunk of body as AsyncIterable<Buffer>) {
			size += chunk.length;
			if (size > maximumXmlBody) {
				throw new StandInError(400, 'MaxMessageLengthExceeded', 'Your request was too big.');
			}

			chunks.push(chunk);
			md5.update(chunk);
			sha256.update(chunk);
		}

		const buffer = Buffer.concat(chunks);
		verify({size, md5: md5.digest(), sha256: wantSha256 ? sha256.digest('hex') : undefined, crc32: crc32(buffer)});
		return buffer;
	}

	private async drain(context: Context): Promise<void> {
		if (!context.request.readableEnded) {
			await this.readSmallBody(context);
		}
	}

	private userMetadata(request: IncomingMessage): Record<string, string> {
		const metadata: Record<string, string> = {};
		for (const [name, value] of Object.entries(request.headers)) {
			const prefix = ['x-amz-meta-', ...(this.isOss ? ['x-oss-meta-'] : [])].find(candidate => name.startsWith(candidate));
			if (prefix && typeof value === 'string') {
				metadata[name.slice(prefix.length)] = value;
			}
		}

		return metadata;
	}

	private setHeader(context: Context, name: string, value: string): void {
		context.headers[name] = value;
	}

	private send(context: Context, status: number): StandInReply {
		return {status, headers: {...context.headers, 'Content-Length': '0'}};
	}

	private sendXml(context: Context, status: number, xml: string): StandInReply {
		return {status, headers: {...context.headers, 'Content-Type': 'application/xml'}, body: xml};
	}

	/** S3's x-amz-id-2, the HostId of its error body too: the same for both, derived from the request id. */
	private hostId(request: StandInRequest): string {
		return createHash('sha256').update(request.id).digest().subarray(0, 24).toString('base64');
	}

	private ec(error: StandInError): string | undefined {
		return error.extra.EC ?? ossErrorCodes[error.code];
	}

	/** The `<Error>` document; a HEAD answer has none. S3 puts the error's own fields before RequestId and HostId, OSS after them. */
	private errorDocument(error: StandInError, request: StandInRequest): string | undefined {
		if (request.method === 'HEAD') {
			return undefined;
		}

		const {EC: _declared, ...extra} = error.extra;
		void _declared;
		const ec = this.ec(error);
		const message = this.isOss ? ossMessages[error.code] ?? error.message : error.message;
		const body: XmlElement = this.isOss
			? {Code: error.code, Message: message, RequestId: request.id, HostId: (request.headers.host ?? '').replace(/:\d+$/, ''), ...extra}
			: {Code: error.code, Message: message, ...extra, RequestId: request.id, HostId: this.hostId(request)};
		if (this.isOss && ec) {
			body.EC = ec;
			body.RecommendDoc = `https://api.aliyun.com/troubleshoot?q=${ec}`;
		}

		return xmlDocument('Error', body, false);
	}

	private errorHeaders(error: StandInError, request: StandInRequest): Record<string, string> {
		const ec = this.ec(error);
		return {
			...(request.method === 'HEAD' ? {} : {'Content-Type': 'application/xml'}),
			...(this.isOss && ec ? {'x-oss-ec': ec} : {}),
			...(this.isOss ? {} : {'x-amz-id-2': this.hostId(request)}),
			...(error.code === 'SlowDown' || error.status === 503 ? {'Retry-After': '1'} : {}),
		};
	}
}

function firstValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

export function parseRange(header: string, size: number): {start: number; end: number} | undefined {
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!match || (match[1] === '' && match[2] === '')) {
		return undefined;
	}

	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0) {
			return undefined;
		}

		return {start: Math.max(0, size - suffix), end: size - 1};
	}

	const start = Number(match[1]);
	const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	if (start >= size || end < start) {
		return undefined;
	}

	return {start, end};
}
