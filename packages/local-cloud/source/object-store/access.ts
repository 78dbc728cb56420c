/**
 * Who may sign requests to an object-store stand-in besides its owner's keys, and what they may do: the stand-in asks
 * an account (OSS: the local RAM account) for a key's secret, its session token, and a decision per action. The OSS
 * flavour's actions and resources are RAM's for OSS ("RAM Policy" and "Common examples of RAM policies" in the OSS
 * user guide): `oss:<Operation>` on `acs:oss:<region>:<bucket owner>:<bucket>[/<object>]`.
 */
import type {IncomingMessage} from 'node:http';
import {gatewayKey, type AlibabaIdentities} from '../identity/alibaba.js';
import type {PolicyDecision} from 'ferry/identity/policy';

export type SignerKey = {secret: string; securityToken?: string; expired?: boolean; disabled?: boolean; principal: unknown};

export type ObjectStoreAccess = {
	keyOf(accessKeyId: string): SignerKey | undefined;
	/** The decision for `action` (the flavour's own name, e.g. `oss:GetObject`) on a bucket, an object, or the service. */
	decide(principal: unknown, action: string, bucket: string | undefined, key: string | undefined): PolicyDecision;
};

export type Permission = {action: string; bucket?: string; key?: string};

/**
 * The OSS permissions a request needs, from its method, target and subresources (the OSS API reference's "RAM
 * authorization" of each operation). DeleteObjects is checked per key where its body is read.
 */
export function ossPermissions(request: IncomingMessage, target: {bucket: string | undefined; key: string | undefined; query: URLSearchParams}, copySource: string | undefined): Permission[] {
	const method = request.method ?? 'GET';
	const {bucket, key, query} = target;
	if (bucket === undefined) {
		return [{action: 'oss:ListBuckets'}];
	}

	if (key === undefined) {
		const bucketAction = method === 'PUT' ? 'oss:PutBucket'
			: method === 'HEAD' ? 'oss:GetBucketInfo'
				: method === 'DELETE' ? 'oss:DeleteBucket'
					: method === 'GET' && query.has('location') ? 'oss:GetBucketLocation'
						: method === 'GET' ? 'oss:ListObjects'
							: undefined;
		return bucketAction ? [{action: bucketAction, bucket}] : [];
	}

	const object = (action: string): Permission => ({action, bucket, key});
	switch (method) {
		case 'PUT': {
			if (copySource !== undefined && !query.has('uploadId')) {
				const source = decodeURIComponent(copySource.replace(/^\//, ''));
				const slash = source.indexOf('/');
				return [{action: 'oss:GetObject', bucket: source.slice(0, slash), key: source.slice(slash + 1)}, object('oss:PutObject')];
			}

			return [object('oss:PutObject')];
		}

		case 'GET': {
			return [object(query.has('uploadId') ? 'oss:ListParts' : 'oss:GetObject')];
		}

		case 'HEAD': {
			return [object('oss:GetObject')];
		}

		case 'DELETE': {
			return [object(query.has('uploadId') ? 'oss:AbortMultipartUpload' : 'oss:DeleteObject')];
		}

		case 'POST': {
			return [object('oss:PutObject')];
		}

		default: {
			return [];
		}
	}
}

/** OSS's access to the local RAM account: its keys, and RAM's decisions on OSS resources of the account. */
export function ossAccessFor(identities: AlibabaIdentities, region: string): ObjectStoreAccess {
	const base = `acs:oss:oss-${region.replace(/^oss-/, '')}:${identities.accountId}`;
	return {
		keyOf(accessKeyId) {
			const checked = gatewayKey(identities, accessKeyId);
			return checked && {...checked, principal: identities.keyOf(accessKeyId)!.principal};
		},
		decide(principal, action, bucket, key) {
			const resource = bucket === undefined ? `${base}:*` : key === undefined ? `${base}:${bucket}` : `${base}:${bucket}/${key}`;
			return identities.authorize(principal as Parameters<AlibabaIdentities['authorize']>[0], action, resource).decision;
		},
	};
}
