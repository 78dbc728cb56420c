/** The few XML shapes the S3 REST API answers with, and a parser for the ones it receives. */
import {XMLParser} from 'fast-xml-parser';

export type XmlNode = string | number | boolean | undefined | XmlElement | XmlNode[];
export type XmlElement = {[name: string]: XmlNode};

export const s3Namespace = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function escapeXml(value: string): string {
	return value.replace(/[&<>"']/g, character => `&${({'&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', '\'': 'apos'} as Record<string, string>)[character]};`);
}

function render(name: string, node: XmlNode): string {
	if (node === undefined) {
		return '';
	}

	if (Array.isArray(node)) {
		return node.map(item => render(name, item)).join('');
	}

	if (typeof node === 'object') {
		return `<${name}>${Object.entries(node).map(([child, value]) => render(child, value)).join('')}</${name}>`;
	}

	return `<${name}>${escapeXml(String(node))}</${name}>`;
}

/**
 * `<?xml…?><Root xmlns="…">…</Root>`; arrays repeat their element, undefined leaves it out. `false` leaves out the
 * namespace, as S3 and OSS do on `<Error>`: botocore only finds `Code` in a namespace-free error body.
 */
export function xmlDocument(root: string, body: XmlElement, namespace: string | false = s3Namespace): string {
	const inner = Object.entries(body).map(([name, value]) => render(name, value)).join('');
	return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${namespace ? ` xmlns="${namespace}"` : ''}>${inner}</${root}>`;
}

// Go's encoder (rclone, aws-sdk-go) writes quotes as numeric references (&#34;): those are decoded too.
const parser = new XMLParser({ignoreAttributes: true, parseTagValue: false, trimValues: true, htmlEntities: true, isArray: name => ['Object', 'Part'].includes(name)});

export function parseXml(text: string): Record<string, unknown> | undefined {
	try {
		const parsed = parser.parse(text, true) as unknown;
		return typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : undefined;
	} catch {
		return undefined;
	}
}
