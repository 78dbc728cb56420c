/**
 * Signed query-protocol requests (IAM, STS, the Redshift management API) for stand-in tests, signed by the AWS
 * SDK's own SigV4 signer so the stand-ins' independent check is what is tested.
 */
import {createHash, createHmac, type Hash, type Hmac} from 'node:crypto';
import {SignatureV4} from '@smithy/signature-v4';
import type {SourceData} from '@smithy/types';

const toBuffer = (data: SourceData) => (typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array));

class NodeSha256 {
	private readonly hash: Hash | Hmac;

	constructor(secret?: SourceData) {
		this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
	}

	update(data: SourceData): void {
		this.hash.update(toBuffer(data));
	}

	async digest(): Promise<Uint8Array> {
		return this.hash.digest();
	}

	reset(): void {
		throw new Error('not needed');
	}
}

export type QueryKeys = {accessKeyId: string; secretAccessKey: string; sessionToken?: string};

/** `body` with XML's entities decoded (messages read as the service wrote them); `raw` as it came. */
export type QueryAnswer = {status: number; body: string; raw: string};

export function decodeXmlEntities(text: string): string {
	return text.replaceAll(/&(apos|quot|lt|gt|amp);/g, (_, name: string) => ({apos: '\'', quot: '"', lt: '<', gt: '>', amp: '&'})[name]!);
}

/** POSTs `Action=…&Version=…&…` form-encoded, signed for `service` in `region` (unsigned without keys). */
export async function queryRequest(url: string, options: {service: string; region: string; keys?: QueryKeys; parameters: Record<string, string>}): Promise<QueryAnswer> {
	const target = new URL(url);
	const body = new URLSearchParams(options.parameters).toString();
	const headers: Record<string, string> = {host: target.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8'};
	if (options.keys) {
		const signer = new SignatureV4({service: options.service, region: options.region, credentials: options.keys, sha256: NodeSha256});
		const signed = await signer.sign({method: 'POST', protocol: 'http:', hostname: target.hostname, port: Number(target.port), path: '/', headers, body});
		Object.assign(headers, signed.headers);
	}

	const response = await fetch(url, {method: 'POST', headers, body});
	const raw = await response.text();
	return {status: response.status, body: decodeXmlEntities(raw), raw};
}

/** The text of the first `<name>` element of an XML answer. */
export function xmlValue(xml: string, name: string): string | undefined {
	return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}
