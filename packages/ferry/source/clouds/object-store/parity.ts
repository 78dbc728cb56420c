/**
 * Compares the inventory of a copy's source and destination. A multipart ETag (`md5-of-part-md5s-N`) depends on
 * the part size, so it cannot be compared with a plain MD5 or with another store's part layout; then the
 * checksums recorded by the copy decide.
 */
import type {Inventory, InventoryObject} from './client.js';

export type ParityDifference = {
	kind: 'count' | 'bytes' | 'missing' | 'extra' | 'size' | 'checksum' | 'unverifiable';
	/** Key relative to the prefixes; absent for totals. */
	key?: string;
	message: string;
};

export type CopyRecord = {key: string; sourceEtag: string; destinationEtag: string; md5?: string};

const plainMd5 = /^[0-9a-f]{32}$/;

function relativeMap(inventory: Inventory): Map<string, InventoryObject> {
	return new Map(inventory.objects.map(object => [object.key.slice(inventory.prefix.length), object]));
}

function compareChecksums(key: string, source: InventoryObject, destination: InventoryObject, record: CopyRecord | undefined): ParityDifference | undefined {
	const sourcePlain = plainMd5.test(source.etag);
	const destinationPlain = plainMd5.test(destination.etag);
	if (sourcePlain && destinationPlain) {
		return source.etag === destination.etag
			? undefined
			: {kind: 'checksum', key, message: `${key}: content differs (MD5 ${source.etag} at the source, ${destination.etag} at the destination)`};
	}

	if (record) {
		if (record.sourceEtag !== source.etag) {
			return {kind: 'checksum', key, message: `${key}: the source changed after it was copied (ETag ${record.sourceEtag} then, ${source.etag} now)`};
		}

		if (record.destinationEtag !== destination.etag) {
			return {kind: 'checksum', key, message: `${key}: the destination changed after the copy (ETag ${record.destinationEtag} then, ${destination.etag} now)`};
		}

		for (const [side, etag, plain] of [['source', source.etag, sourcePlain], ['destination', destination.etag, destinationPlain]] as const) {
			if (plain && record.md5 !== undefined && record.md5 !== etag) {
				return {kind: 'checksum', key, message: `${key}: the ${side} MD5 ${etag} differs from the MD5 ${record.md5} computed during the copy`};
			}
		}

		return undefined;
	}

	if (source.etag === destination.etag) {
		return undefined;
	}

	return {
		kind: 'unverifiable',
		key,
		message: `${key}: sizes match but the ETags (${source.etag} and ${destination.etag}) come from different upload layouts and no checksum was recorded by the copy; copy it again with ferry to verify it`,
	};
}

export function compareInventories(source: Inventory, destination: Inventory, copies: Iterable<CopyRecord> = []): ParityDifference[] {
	const differences: ParityDifference[] = [];
	if (source.count !== destination.count) {
		differences.push({kind: 'count', message: `${source.count} objects at the source, ${destination.count} at the destination`});
	}

	if (source.bytes !== destination.bytes) {
		differences.push({kind: 'bytes', message: `${source.bytes} bytes at the source, ${destination.bytes} at the destination (${destination.bytes - source.bytes > 0 ? '+' : ''}${destination.bytes - source.bytes})`});
	}

	const records = new Map([...copies].map(record => [record.key, record]));
	const sourceObjects = relativeMap(source);
	const destinationObjects = relativeMap(destination);
	for (const [key, object] of sourceObjects) {
		const copy = destinationObjects.get(key);
		if (!copy) {
			differences.push({kind: 'missing', key, message: `${key}: missing at the destination (${object.size} bytes at the source)`});
			continue;
		}

		if (copy.size !== object.size) {
			differences.push({kind: 'size', key, message: `${key}: ${object.size} bytes at the source, ${copy.size} at the destination`});
			continue;
		}

		const difference = compareChecksums(key, object, copy, records.get(key));
		if (difference) {
			differences.push(difference);
		}
	}

	for (const [key, object] of destinationObjects) {
		if (!sourceObjects.has(key)) {
			differences.push({kind: 'extra', key, message: `${key}: at the destination only (${object.size} bytes); not part of the source`});
		}
	}

	return differences;
}
