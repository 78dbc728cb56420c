/**
 * Parsing of Redshift's UNLOAD command (r_UNLOAD in the Redshift Database Developer Guide): options in any order,
 * the inner query as a quoted literal with doubled quotes. Errors read like Redshift's own.
 */
export type UnloadAuthorization =
	| {kind: 'role'; roleArn: string}
	| {kind: 'keys'; accessKeyId: string; secretAccessKey: string; sessionToken?: string};

export type UnloadCommand = {
	query: string;
	bucket: string;
	prefix: string;
	authorization: UnloadAuthorization;
	format: 'parquet' | 'csv' | 'json' | 'text';
	/** Already rounded the way Redshift rounds it for Parquet. */
	maxFileSizeBytes: number;
	allowOverwrite: boolean;
	cleanPath: boolean;
	parallel: boolean;
	manifest: 'none' | 'plain' | 'verbose';
	region?: string;
};

export class UnloadSyntaxError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnloadSyntaxError';
	}
}

type Token = {kind: 'word' | 'string' | 'number' | 'symbol'; text: string; position: number};

function tokenize(sql: string): Token[] {
	const tokens: Token[] = [];
	let index = 0;
	while (index < sql.length) {
		const character = sql[index]!;
		if (/\s/.test(character)) {
			index++;
		} else if (character === '-' && sql[index + 1] === '-') {
			while (index < sql.length && sql[index] !== '\n') {
				index++;
			}
		} else if (character === '\'') {
			let text = '';
			let cursor = index + 1;
			for (;;) {
				if (cursor >= sql.length) {
					throw new UnloadSyntaxError(`unterminated quoted string at or near "${sql.slice(index, index + 20)}"`);
				}

				if (sql[cursor] === '\'') {
					if (sql[cursor + 1] === '\'') {
						text += '\'';
						cursor += 2;
						continue;
					}

					break;
				}

				text += sql[cursor];
				cursor++;
			}

			tokens.push({kind: 'string', text, position: index});
			index = cursor + 1;
		} else if (/\d/.test(character)) {
			const match = /^\d+(?:\.\d+)?/.exec(sql.slice(index))!;
			tokens.push({kind: 'number', text: match[0], position: index});
			index += match[0].length;
		} else if (/[A-Za-z_]/.test(character)) {
			const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(index))!;
			tokens.push({kind: 'word', text: match[0].toUpperCase(), position: index});
			index += match[0].length;
		} else {
			tokens.push({kind: 'symbol', text: character, position: index});
			index++;
		}
	}

	return tokens;
}

export function isUnloadStatement(sql: string): boolean {
	return /^\s*unload\b/i.test(sql);
}

const megabyte = 1024 * 1024;
const parquetRowGroupBytes = 32 * megabyte;
const defaultMaxFileBytes = Math.round(6.2 * 1024 * megabyte);

const parquetIncompatible = new Set(['DELIMITER', 'FIXEDWIDTH', 'ADDQUOTES', 'ESCAPE', 'NULL', 'HEADER', 'GZIP', 'BZIP2', 'ZSTD']);

export function parseUnload(sql: string): UnloadCommand {
	const tokens = tokenize(sql.trim().replace(/;\s*$/, ''));
	let cursor = 0;
	const peek = () => tokens[cursor];
	const next = () => tokens[cursor++];
	const nearText = (token: Token | undefined) => token ? (token.kind === 'string' ? `'${token.text}'` : token.text) : 'end of input';
	const syntaxError = (token: Token | undefined) => new UnloadSyntaxError(`syntax error at or near "${nearText(token)}"`);
	const expectWord = (word: string) => {
		const token = next();
		if (token?.kind !== 'word' || token.text !== word) {
			throw syntaxError(token);
		}
	};

	const expectString = () => {
		const token = next();
		if (token?.kind !== 'string') {
			throw syntaxError(token);
		}

		return token.text;
	};

	const skipAs = () => {
		if (peek()?.kind === 'word' && peek()?.text === 'AS') {
			cursor++;
		}
	};

	expectWord('UNLOAD');
	if (next()?.text !== '(') {
		throw syntaxError(tokens[cursor - 1]);
	}

	const query = expectString();
	if (next()?.text !== ')') {
		throw syntaxError(tokens[cursor - 1]);
	}

	expectWord('TO');
	const target = expectString();
	const targetMatch = /^s3:\/\/([^/]+)\/?(.*)$/.exec(target);
	if (!targetMatch) {
		throw new UnloadSyntaxError(`Invalid S3 path: ${target}. The path must start with s3://bucket/`);
	}

	let roleArn: string | undefined;
	let accessKeyId: string | undefined;
	let secretAccessKey: string | undefined;
	let sessionToken: string | undefined;
	let format: UnloadCommand['format'] = 'text';
	let maxFileSizeBytes: number | undefined;
	let allowOverwrite = false;
	let cleanPath = false;
	let parallel = true;
	let manifest: UnloadCommand['manifest'] = 'none';
	let region: string | undefined;
	const textOnlyOptions: string[] = [];

	while (cursor < tokens.length) {
		const token = next()!;
		if (token.kind !== 'word') {
			throw syntaxError(token);
		}

		switch (token.text) {
			case 'IAM_ROLE': {
				const value = next();
				if (value?.kind === 'word' && value.text === 'DEFAULT') {
					roleArn = 'default';
				} else if (value?.kind === 'string') {
					roleArn = value.text;
				} else {
					throw syntaxError(value);
				}

				break;
			}

			case 'ACCESS_KEY_ID': {
				accessKeyId = expectString();
				break;
			}

			case 'SECRET_ACCESS_KEY': {
				secretAccessKey = expectString();
				break;
			}

			case 'SESSION_TOKEN': {
				sessionToken = expectString();
				break;
			}

			case 'CREDENTIALS': {
				skipAs();
				for (const pair of expectString().split(';')) {
					const [key, ...rest] = pair.split('=');
					const value = rest.join('=');
					switch (key?.trim().toLowerCase()) {
						case 'aws_iam_role': {
							roleArn = value;
							break;
						}

						case 'aws_access_key_id': {
							accessKeyId = value;
							break;
						}

						case 'aws_secret_access_key': {
							secretAccessKey = value;
							break;
						}

						case 'token': {
							sessionToken = value;
							break;
						}

						default: {
							break;
						}
					}
				}

				break;
			}

			case 'FORMAT': {
				skipAs();
				const value = next();
				if (value?.kind !== 'word' || !['PARQUET', 'CSV', 'JSON'].includes(value.text)) {
					throw syntaxError(value);
				}

				format = value.text.toLowerCase() as UnloadCommand['format'];
				break;
			}

			case 'PARQUET':
			case 'CSV':
			case 'JSON': {
				format = token.text.toLowerCase() as UnloadCommand['format'];
				break;
			}

			case 'MAXFILESIZE': {
				skipAs();
				const amount = next();
				if (amount?.kind !== 'number') {
					throw syntaxError(amount);
				}

				let unit = megabyte;
				if (peek()?.kind === 'word' && (peek()?.text === 'MB' || peek()?.text === 'GB')) {
					unit = next()!.text === 'GB' ? 1024 * megabyte : megabyte;
				}

				maxFileSizeBytes = Number(amount.text) * unit;
				if (maxFileSizeBytes < 5 * megabyte || maxFileSizeBytes > defaultMaxFileBytes) {
					throw new UnloadSyntaxError('MAXFILESIZE must be between 5 MB and 6.2 GB');
				}

				break;
			}

			case 'ALLOWOVERWRITE': {
				allowOverwrite = true;
				break;
			}

			case 'CLEANPATH': {
				cleanPath = true;
				break;
			}

			case 'PARALLEL': {
				const value = peek();
				if (value?.kind === 'word' && ['ON', 'OFF', 'TRUE', 'FALSE'].includes(value.text)) {
					cursor++;
					parallel = value.text === 'ON' || value.text === 'TRUE';
				}

				break;
			}

			case 'MANIFEST': {
				manifest = 'plain';
				if (peek()?.kind === 'word' && peek()?.text === 'VERBOSE') {
					cursor++;
					manifest = 'verbose';
				}

				break;
			}

			case 'REGION': {
				skipAs();
				region = expectString();
				break;
			}

			case 'ENCRYPTED': {
				if (peek()?.kind === 'word' && peek()?.text === 'AUTO') {
					cursor++;
				}

				break;
			}

			case 'KMS_KEY_ID': {
				expectString();
				break;
			}

			case 'ROWGROUPSIZE': {
				skipAs();
				next();
				if (peek()?.kind === 'word' && (peek()?.text === 'MB' || peek()?.text === 'GB')) {
					cursor++;
				}

				break;
			}

			case 'PARTITION': {
				throw new UnloadSyntaxError('PARTITION BY is not supported by the local Redshift stand-in');
			}

			case 'DELIMITER':
			case 'FIXEDWIDTH':
			case 'NULL':
			case 'ESCAPE':
			case 'ADDQUOTES':
			case 'HEADER':
			case 'GZIP':
			case 'BZIP2':
			case 'ZSTD': {
				textOnlyOptions.push(token.text === 'NULL' ? 'NULL AS' : token.text);
				if (token.text === 'DELIMITER' || token.text === 'FIXEDWIDTH' || token.text === 'NULL') {
					skipAs();
					expectString();
				}

				break;
			}

			default: {
				throw syntaxError(token);
			}
		}
	}

	const usesKeys = accessKeyId !== undefined || secretAccessKey !== undefined || sessionToken !== undefined;
	if (roleArn !== undefined && usesKeys) {
		throw new UnloadSyntaxError('Conflicting or redundant options: IAM_ROLE cannot be used with ACCESS_KEY_ID, SECRET_ACCESS_KEY or SESSION_TOKEN');
	}

	if (roleArn === undefined && !usesKeys) {
		throw new UnloadSyntaxError('Missing authorization: UNLOAD needs IAM_ROLE, or ACCESS_KEY_ID and SECRET_ACCESS_KEY');
	}

	if (usesKeys && (accessKeyId === undefined || secretAccessKey === undefined)) {
		throw new UnloadSyntaxError('ACCESS_KEY_ID and SECRET_ACCESS_KEY must be specified together');
	}

	if (allowOverwrite && cleanPath) {
		throw new UnloadSyntaxError('CLEANPATH and ALLOWOVERWRITE options are mutually exclusive');
	}

	if (format === 'parquet') {
		const conflicting = textOnlyOptions.find(option => parquetIncompatible.has(option.split(' ')[0]!));
		if (conflicting) {
			throw new UnloadSyntaxError(`PARQUET format can't be used with ${conflicting}`);
		}
	}

	if (/\blimit\s+\d+\s*$/i.test(query.trim()) && !/\)\s*$/.test(query.trim())) {
		throw new UnloadSyntaxError('Limit clause is not supported in the outer select of an UNLOAD query; nest it in a subquery');
	}

	const requested = maxFileSizeBytes ?? defaultMaxFileBytes;
	// For Parquet Redshift rounds MAXFILESIZE down to whole 32 MB row groups.
	const rounded = format === 'parquet' ? Math.max(parquetRowGroupBytes, Math.floor(requested / parquetRowGroupBytes) * parquetRowGroupBytes) : requested;

	return {
		query,
		bucket: targetMatch[1]!,
		prefix: targetMatch[2] ?? '',
		authorization: roleArn === undefined
			? {kind: 'keys', accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey!, sessionToken}
			: {kind: 'role', roleArn},
		format,
		maxFileSizeBytes: rounded,
		allowOverwrite,
		cleanPath,
		parallel,
		manifest,
		region,
	};
}

/** The statement text as DescribeStatement shows it: credentials blanked, the way Redshift masks them in logs. */
export function maskUnloadCredentials(sql: string): string {
	return sql
		.replace(/\b(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)(\s+)'(?:[^']|'')*'/gi, '$1$2\'\'')
		.replace(/\b(CREDENTIALS(?:\s+AS)?\s+)'(?:[^']|'')*'/gi, '$1\'\'');
}
