/** Arguments of the hand-fix commands ferry prints (aws, aliyun): plain words as they are, anything else single-quoted. */
export function shellWord(value: string): string {
	return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll('\'', '\'\\\'\'')}'`;
}

/** A JSON document as one single-quoted argument, on one line. */
export function shellJson(document: string): string {
	return shellWord(JSON.stringify(JSON.parse(document)));
}
