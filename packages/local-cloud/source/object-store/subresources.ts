/**
 * Which query parameters each route of the stand-in understands. S3 and OSS select an operation by its
 * subresource (`?tagging`, `?acl`, `?uploads`…); a stand-in that ignored one would run the plain operation
 * instead (PutObjectTagging would overwrite the object, DeleteBucketCors would delete the bucket). So any
 * parameter not listed for a route is answered NotImplemented before anything is read or written.
 */
export type Level = 'service' | 'bucket' | 'object';

/** A presigned URL carries its signature and any hoisted `x-amz-*` header in the query; the SDKs add `x-id`. */
function isSigningParameter(name: string): boolean {
	return name === 'x-id' || name.toLowerCase().startsWith('x-amz-');
}

const listing = ['prefix', 'delimiter', 'max-keys', 'marker', 'encoding-type', 'list-type', 'continuation-token', 'start-after', 'fetch-owner'];
const responseOverrides = ['response-content-type', 'response-content-language', 'response-expires', 'response-cache-control', 'response-content-disposition', 'response-content-encoding'];

/** The parameters each implemented operation takes, by level and method. */
export const implementedParameters: Record<Level, Partial<Record<string, readonly string[]>>> = {
	// ListBuckets
	service: {GET: ['prefix', 'max-buckets', 'continuation-token', 'bucket-region']},
	bucket: {
		// CreateBucket, HeadBucket, DeleteBucket
		PUT: [],
		HEAD: [],
		DELETE: [],
		// ListObjects, ListObjectsV2, GetBucketLocation
		GET: [...listing, 'location'],
		// DeleteObjects
		POST: ['delete'],
	},
	object: {
		// GetObject, HeadObject
		GET: responseOverrides,
		HEAD: responseOverrides,
		// PutObject, CopyObject, UploadPart
		PUT: ['uploadId', 'partNumber'],
		// DeleteObject, AbortMultipartUpload
		DELETE: ['uploadId'],
		// CreateMultipartUpload, CompleteMultipartUpload
		POST: ['uploads', 'uploadId'],
	},
};

/** The first query parameter the route does not understand, or undefined when it understands them all. */
export function unsupportedParameter(level: Level, method: string, names: Iterable<string>): string | undefined {
	const allowed = implementedParameters[level][method];
	for (const name of names) {
		if (!allowed?.includes(name) && !isSigningParameter(name)) {
			return name;
		}
	}

	return undefined;
}
