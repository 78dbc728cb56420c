/**
 * Which forward proxy, if any, a request to a URL goes through: `https_proxy`/`HTTPS_PROXY` for https,
 * `http_proxy`/`HTTP_PROXY` for http (lower case first, as curl reads them), unless `no_proxy`/`NO_PROXY` exempts the
 * host. The local cloud (localhost, `*.localhost`, the loopback addresses) never goes through a proxy, whatever the
 * environment says: a proxy elsewhere could not reach it, and the local cloud's own `*.localhost` proxy is for other
 * programs. NO_PROXY follows curl's reading (https://curl.se/docs/manpage.html#--noproxy): a comma (or space) list of
 * host names, each matching itself and its subdomains (`example.com` and `.example.com` alike, and `*.example.com`),
 * optionally with `:port`, IP addresses as written, and `*` for every host.
 */
import {ConfigurationError} from '../engine/errors.js';
import {registerSecret} from '../log/redact.js';

export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

/** localhost and its subdomains (RFC 6761), 127.0.0.0/8 and ::1. */
export function isLocalHost(hostname: string): boolean {
	const name = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
	return name === 'localhost' || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name) || name === '::1';
}

function variable(env: ProxyEnvironment, name: string): string | undefined {
	const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
	return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function defaultPort(protocol: string): string {
	return protocol === 'https:' ? '443' : '80';
}

/** Whether a NO_PROXY list exempts this host (and port). */
export function isExemptFromProxy(hostname: string, port: string, noProxy: string | undefined): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
	for (const raw of (noProxy ?? '').split(/[\s,]+/)) {
		const entry = raw.trim().toLowerCase();
		if (entry === '') {
			continue;
		}

		if (entry === '*') {
			return true;
		}

		const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
		const [entryHost = '', entryPort] = bracketed
			? [bracketed[1], bracketed[2]]
			: (entry.split(':').length === 2 ? entry.split(':') : [entry, undefined]);
		if (entryPort !== undefined && entryPort !== port) {
			continue;
		}

		const suffix = entryHost.replace(/^\*?\./, '').replace(/\.$/, '');
		if (suffix !== '' && (host === suffix || host.endsWith(`.${suffix}`))) {
			return true;
		}
	}

	return false;
}

/** The proxy URL for a request to `url`, or undefined to connect directly. */
export function proxyFor(url: URL, env: ProxyEnvironment = process.env): URL | undefined {
	if (isLocalHost(url.hostname)) {
		return undefined;
	}

	const configured = variable(env, url.protocol === 'https:' ? 'https_proxy' : 'http_proxy');
	if (configured === undefined || isExemptFromProxy(url.hostname, url.port || defaultPort(url.protocol), variable(env, 'no_proxy'))) {
		return undefined;
	}

	let proxy: URL;
	try {
		proxy = new URL(configured.includes('://') ? configured : `http://${configured}`);
	} catch {
		throw new ConfigurationError(`The ${url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'} setting is not a proxy URL`, {hint: 'Set it to http://host:port (or http://user:password@host:port), or unset it.'});
	}

	if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
		throw new ConfigurationError(`ferry can use an http:// or https:// proxy, not ${proxy.protocol}//`, {hint: 'Point HTTPS_PROXY at an HTTP forward proxy (one that answers CONNECT).'});
	}

	registerSecret(decodeURIComponent(proxy.password));
	return proxy;
}

/** Node.js sends through a proxy by itself from 22.21 and 24.5 on (the `proxyEnv` option of http.Agent). */
export function nodeSendsThroughProxies(version: string = process.versions.node): boolean {
	const [major = 0, minor = 0] = version.split('.').map(Number);
	return major >= 25 || (major === 24 && minor >= 5) || (major === 22 && minor >= 21);
}
