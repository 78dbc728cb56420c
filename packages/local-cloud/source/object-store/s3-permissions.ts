/**
 * The IAM action and resource each S3 request is authorized as (Service Authorization Reference for Amazon S3):
 * ListBuckets is s3:ListAllMyBuckets on "*", listing and HeadBucket are s3:ListBucket on the bucket (with the
 * s3:prefix, s3:delimiter and s3:max-keys condition keys), uploads and multipart parts s3:PutObject, reads
 * s3:GetObject, deletes s3:DeleteObject (each key of a DeleteObjects on its own), AbortMultipartUpload its own action.
 */
export type S3Permission = {action: string; resource: string; context?: Record<string, string>};

export const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
export const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/** What the request needs, or undefined when it is authorized elsewhere (DeleteObjects, key by key) or not served. */
export function s3Permission(method: string, bucket: string | undefined, key: string | undefined, query: URLSearchParams): S3Permission | undefined {
	if (bucket === undefined) {
		return method === 'GET' ? {action: 's3:ListAllMyBuckets', resource: '*'} : undefined;
	}

	if (key === undefined) {
		switch (method) {
			case 'PUT': {
				return {action: 's3:CreateBucket', resource: bucketArn(bucket)};
			}

			case 'HEAD': {
				return {action: 's3:ListBucket', resource: bucketArn(bucket)};
			}

			case 'DELETE': {
				return {action: 's3:DeleteBucket', resource: bucketArn(bucket)};
			}

			case 'GET': {
				if (query.has('location')) {
					return {action: 's3:GetBucketLocation', resource: bucketArn(bucket)};
				}

				const context: Record<string, string> = {};
				for (const [parameter, contextKey] of [['prefix', 's3:prefix'], ['delimiter', 's3:delimiter'], ['max-keys', 's3:max-keys']] as const) {
					const value = query.get(parameter);
					if (value !== null) {
						context[contextKey] = value;
					}
				}

				return {action: 's3:ListBucket', resource: bucketArn(bucket), context};
			}

			default: {
				return undefined;
			}
		}
	}

	switch (method) {
		case 'PUT':
		case 'POST': {
			return {action: 's3:PutObject', resource: objectArn(bucket, key)};
		}

		case 'GET':
		case 'HEAD': {
			return {action: 's3:GetObject', resource: objectArn(bucket, key)};
		}

		case 'DELETE': {
			return {action: query.has('uploadId') ? 's3:AbortMultipartUpload' : 's3:DeleteObject', resource: objectArn(bucket, key)};
		}

		default: {
			return undefined;
		}
	}
}
