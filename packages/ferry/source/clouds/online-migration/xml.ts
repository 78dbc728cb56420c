/** XML bodies of the Data Online Migration API (hcs-mgw 2024-06-26): every element a string, the root kept as a key. */
import {XMLBuilder, XMLParser} from 'fast-xml-parser';

export type XmlValue = string | number | boolean | undefined | XmlObject | XmlValue[];
export type XmlObject = {[name: string]: XmlValue};

const builder = new XMLBuilder({ignoreAttributes: true, suppressEmptyNode: false, format: false});
const parser = new XMLParser({ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true});

function withoutUndefined(value: XmlValue): XmlValue {
	if (Array.isArray(value)) {
		return value.map(item => withoutUndefined(item));
	}

	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, withoutUndefined(item)]));
	}

	return value;
}

export function toXml(document: XmlObject): string {
	return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(withoutUndefined(document)) as string}`;
}

export function parseXml(text: string): XmlObject {
	if (!text.trim()) {
		return {};
	}

	const parsed = parser.parse(text) as XmlObject;
	delete parsed['?xml'];
	return parsed;
}

export function xmlObject(value: XmlValue): XmlObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

export function xmlText(value: XmlValue): string | undefined {
	if (value === undefined || value === '' || typeof value === 'object') {
		return undefined;
	}

	return String(value);
}

export function xmlNumber(value: XmlValue): number {
	const text = xmlText(value);
	const number = text === undefined ? 0 : Number(text);
	return Number.isFinite(number) ? number : 0;
}

/** A repeated element parses as an array, a single one as an object; this always gives the array. */
export function xmlList(value: XmlValue): XmlObject[] {
	if (value === undefined || value === '') {
		return [];
	}

	return (Array.isArray(value) ? value : [value]).map(item => xmlObject(item));
}
