/** RFC 3986 percent-encoding as Alibaba Cloud signatures use it: `!'()*` are encoded too, `~` stays literal. */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, character => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Encodes each path segment and keeps the slashes. */
export function percentEncodePath(path: string): string {
	return path.split('/').map(segment => percentEncode(segment)).join('/');
}
