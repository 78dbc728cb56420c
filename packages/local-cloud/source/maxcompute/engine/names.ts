/**
 * The naming rules the local MaxCompute enforces, as "MaxCompute SQL limits" and the partition pages state them
 * (written here on their own, not taken from ferry, so ferry's checks are tested against them): a table name is at
 * most 128 bytes, a letter first, then letters, digits and _; a column name at most 128 bytes of letters, digits, _
 * and Chinese characters; a partition value at most 128 bytes with no double-byte characters, of letters, digits and
 * space : _ $ # . ! @ (and -, which date partitions such as 2024-01-01 use), a letter or digit first.
 *
 * MaxCompute's own wording for a refused name could not be found: the messages are the stand-in's, under the
 * documented codes (ODPS-0130071 semantic analysis; ODPS-0123031 "Partition exception - invalid dynamic partition
 * value: province=xxx", the documented form, also used for a static value).
 */
import {OdpsError, type SourcePosition} from './odps-error.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

export function checkTableName(name: string, position: SourcePosition): void {
	if (bytes(name) > 128) {
		throw new OdpsError('semanticAnalysis', `table name ${name.slice(0, 32)}… is ${bytes(name)} bytes long, more than the limit of 128 bytes`, position);
	}

	if (!/^[a-z][a-z\d_]*$/i.test(name)) {
		throw new OdpsError('semanticAnalysis', `invalid table name ${name}: it must start with a letter and contain only letters, digits and underscores`, position);
	}
}

export function checkColumnName(name: string, position: SourcePosition): void {
	if (bytes(name) > 128) {
		throw new OdpsError('semanticAnalysis', `column name ${name.slice(0, 32)}… is ${bytes(name)} bytes long, more than the limit of 128 bytes`, position);
	}

	if (!/^[\w\p{Script=Han}]+$/u.test(name)) {
		throw new OdpsError('semanticAnalysis', `invalid column name ${name}: it may contain only letters, digits, underscores and Chinese characters`, position);
	}
}

export function validPartitionValue(value: string): boolean {
	return value !== '' && bytes(value) <= 128 && /^[a-z\d][\w :$#.!@-]*$/i.test(value);
}

export function checkPartitionValue(key: string, value: string | null, position: SourcePosition | undefined, dynamic: boolean): void {
	if (value === null || !validPartitionValue(value)) {
		throw new OdpsError('partition', `invalid ${dynamic ? 'dynamic ' : ''}partition value: ${key}=${value ?? 'NULL'}`, position);
	}
}
