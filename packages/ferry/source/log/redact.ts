/**
 * Redaction of secret values from any text that leaves the process (logs, errors, reports).
 * Secrets are registered as they are resolved, so the redactor knows the real values, not just patterns.
 */
const registered = new Set<string>();

/** Patterns that look like credentials even when ferry never saw the value: a name, then `=` or `:` (a quote alone only ends the name). */
const credentialPatterns: RegExp[] = [
	/(secret[_-]?access[_-]?key|access[_-]?key[_-]?secret|session[_-]?token|security[_-]?token|password|access_key)(['"]?\s*[=:]\s*['"]?\s*)([^\s'",;&]+)/gi,
	/(SECRET_ACCESS_KEY|SESSION_TOKEN|ACCESS_KEY_ID)(\s+')([^']*)(')/gi,
];

export function registerSecret(value: string | undefined): void {
	if (value && value.length >= 4) {
		registered.add(value);
	}
}

export function registeredSecrets(): readonly string[] {
	return [...registered];
}

/** Shows only the last 4 characters of a secret, the way stored secrets are displayed. */
export function maskSecret(value: string): string {
	return value.length <= 4 ? '****' : `****${value.slice(-4)}`;
}

export function redact(text: string): string {
	let result = text;
	// Longest first: a short secret inside a longer one would otherwise leave the rest of the longer one visible.
	for (const secret of [...registered].sort((a, b) => b.length - a.length)) {
		result = result.split(secret).join('[redacted]');
	}

	for (const pattern of credentialPatterns) {
		result = result.replace(pattern, (_match, name: string, separator: string, _value: string, tail?: string) =>
			`${name}${separator}[redacted]${typeof tail === 'string' ? tail : ''}`);
	}

	return result;
}

/** Every string in a JSON-like value, redacted: for documents written whole (the audit trail, the evidence pack). */
export function redactValue<T>(value: T): T {
	if (typeof value === 'string') {
		return redact(value) as T;
	}

	if (Array.isArray(value)) {
		return value.map(item => redactValue(item as unknown)) as T;
	}

	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item as unknown)])) as T;
	}

	return value;
}
