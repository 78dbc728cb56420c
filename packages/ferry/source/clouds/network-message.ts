/**
 * httpx (under the Alibaba Cloud OpenAPI client) appends the request to a network error's message without a
 * separator: "connect ECONNREFUSED 127.0.0.1:36363GET http://127.0.0.1:36363/?Action=… failed.". This gives the cause,
 * then the request in brackets without its query string (which carries the key id and signature). Other messages
 * pass unchanged.
 */
export function networkErrorMessage(message: string): string {
	const match = /^([\s\S]*?)(GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) (\S+) failed\.$/.exec(message);
	if (!match) {
		return message;
	}

	const [, cause = '', method = '', url = ''] = match;
	const request = `${method} ${url.replace(/[?#].*$/, '')}`;
	return cause.trim() === '' ? `${request} failed` : `${cause.trim()} (${request})`;
}
