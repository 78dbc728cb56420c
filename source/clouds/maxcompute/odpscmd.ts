/**
 * The second way to run MaxCompute SQL: Alibaba's `odpscmd` console (a Java tool) in machine-readable mode,
 * `odpscmd --config=<ini> -M -e "<sql>"`. The keys go only into a 0600 ini file in a private temporary directory that
 * is removed afterwards: never into argv or the environment. Output and errors are redacted before they leave.
 */
import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {ConfigurationError, InterruptedError, ServiceError} from '../../engine/errors.js';
import type {Logger} from '../../log/logger.js';
import {redact, registerSecret} from '../../log/redact.js';
import type {MaxComputeCredentialProvider, MaxComputeCredentials, SqlResult} from './client.js';
import {OdpsSqlError, serviceName} from './errors.js';
import {parseResultCsv} from './result-csv.js';

export type OdpscmdOptions = {
	/** @default 'odpscmd' (found on PATH) */
	executable?: string;
	/** e.g. `https://service.ap-southeast-1.maxcompute.aliyun.com/api` */
	endpoint: string;
	project: string;
	credentials: MaxComputeCredentials | MaxComputeCredentialProvider;
	logger: Logger;
	region?: string;
	/** @default 30 minutes */
	timeoutMs?: number;
};

export type OdpscmdRunOptions = {settings?: Record<string, string>; signal?: AbortSignal};

export type OdpscmdRunner = {
	runSql(sql: string, options?: OdpscmdRunOptions): Promise<SqlResult & {instanceId: string | undefined}>;
};

const resultRowLimit = 10_000;

function iniValue(key: string, value: string): string {
	if (/[\r\n]/.test(value) || /[\r\n=]/.test(key)) {
		throw new ConfigurationError(`The odpscmd setting "${key}" may not contain line breaks${key.includes('=') ? ' or "="' : ''}`);
	}

	return `${key}=${value}`;
}

export function buildOdpscmdIni(options: {project: string; endpoint: string; region?: string; credentials: MaxComputeCredentials; settings?: Record<string, string>}): string {
	const lines = [
		iniValue('project_name', options.project),
		iniValue('access_id', options.credentials.accessKeyId),
		iniValue('access_key', options.credentials.accessKeySecret),
		iniValue('end_point', options.endpoint),
	];
	if (options.credentials.securityToken) {
		lines.push(iniValue('account_provider', 'sts'), iniValue('sts_token', options.credentials.securityToken));
	}

	if (options.region) {
		lines.push(iniValue('region_id', options.region));
	}

	for (const [key, value] of Object.entries(options.settings ?? {})) {
		lines.push(iniValue(`set.${key}`, value));
	}

	return `${lines.join('\n')}\n`;
}

export function createOdpscmdRunner(options: OdpscmdOptions): OdpscmdRunner {
	const executable = options.executable ?? 'odpscmd';
	const timeoutMs = options.timeoutMs ?? 30 * 60_000;

	async function resolveCredentials(): Promise<MaxComputeCredentials> {
		const credentials = typeof options.credentials === 'function' ? await options.credentials() : options.credentials;
		registerSecret(credentials.accessKeySecret);
		registerSecret(credentials.securityToken);
		return credentials;
	}

	async function runSql(sql: string, run: OdpscmdRunOptions = {}) {
		const credentials = await resolveCredentials();
		const trimmed = sql.trim();
		const statement = trimmed.endsWith(';') ? trimmed : `${trimmed};`;
		const directory = await mkdtemp(path.join(os.tmpdir(), 'ferry-odpscmd-'));
		const started = performance.now();
		try {
			await chmod(directory, 0o700);
			const configFile = path.join(directory, 'odps_config.ini');
			await writeFile(configFile, buildOdpscmdIni({...options, credentials, settings: run.settings}), {mode: 0o600, flag: 'wx'});
			await chmod(configFile, 0o600);
			const result = await execa(executable, [`--config=${configFile}`, '-M', '-e', statement], {
				reject: false,
				cancelSignal: run.signal,
				timeout: timeoutMs,
				stdin: 'ignore',
				maxBuffer: 256 * 1024 * 1024,
			});
			const stdout = result.stdout;
			const stderr = result.stderr;
			const instanceId = /\bID\s*=\s*(\w+)/.exec(stderr)?.[1] ?? /\bID\s*=\s*(\w+)/.exec(stdout)?.[1];
			options.logger.request({service: 'maxcompute', operation: 'odpscmd', status: result.exitCode ?? (result.isCanceled ? 'cancelled' : 'killed'), durationMs: performance.now() - started, requestId: instanceId});

			if (result.isCanceled) {
				throw new InterruptedError('odpscmd was interrupted', {cause: run.signal?.reason});
			}

			if (result.timedOut) {
				throw new ServiceError(serviceName, `odpscmd did not finish within ${Math.round(timeoutMs / 1000)} s`);
			}

			if (result.exitCode === undefined) {
				if ((result as {code?: string}).code === 'ENOENT') {
					throw new ConfigurationError(`odpscmd was not found (${executable})`, {hint: 'Install the MaxCompute client (needs Java 8+) and put its bin/ on PATH, or use the REST engine.'});
				}

				throw new ServiceError(serviceName, `odpscmd could not run: ${redact(result.shortMessage ?? 'unknown error')}`);
			}

			const odpsLine = `${stderr}\n${stdout}`.split('\n').find(line => /ODPS-\d{7}/.test(line));
			if (result.exitCode !== 0 || /^\s*FAILED:/m.test(stderr)) {
				if (odpsLine) {
					throw new OdpsSqlError(instanceId ?? 'unknown', redact(odpsLine.slice(odpsLine.search(/ODPS-\d{7}/))));
				}

				const detail = redact((stderr || stdout).trim().split('\n').slice(-5).join('\n'));
				throw new ServiceError(serviceName, `odpscmd failed with exit code ${result.exitCode}${detail ? `: ${detail}` : ''}`);
			}

			const table = parseResultCsv(stdout);
			const truncated = table.rows.length >= resultRowLimit;
			if (truncated) {
				options.logger.warn(`odpscmd returned ${resultRowLimit} rows, its instance_tunnel_max_record limit; the result is probably truncated.`);
			}

			return {...table, truncated, text: stdout, instanceId};
		} finally {
			await rm(directory, {recursive: true, force: true});
		}
	}

	return {runSql};
}
