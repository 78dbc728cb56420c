import {readAnswersFile, secretEnvName} from '../cli/answers.js';
import {closestMatch} from '../engine/closest-match.js';
import type {ParsedArgs} from '../cli/cli-args.js';
import {parseSetFlags} from '../cli/cli-args.js';
import {describeError, exitCodes, UsageError} from '../engine/errors.js';
import {formatTable} from '../ui/format.js';
import {silentLogger} from '../log/logger.js';
import {maskSecret} from '../log/redact.js';
import {lineWriter} from '../log/log-level.js';
import {decideMode} from '../cli/mode.js';
import {promptLine} from '../cli/prompt-line.js';
import type {CommandIo} from '../cli/io.js';
import {prepareProfile, resolveProfile} from '../services/profile-endpoints.js';
import {getProfileKeys, setProfileKeys} from '../store/credentials-store.js';
import {getProfile, listProfiles, profileSettings, removeProfile, saveProfile, type CredentialSource, type Profile} from '../store/profiles.js';
import {services} from '../services/index.js';

function describeCredentials(source: CredentialSource): string {
	return source.kind === 'chain' ? `vendor chain${source.profile ? ` (${source.profile})` : ''}` : source.kind;
}

const endpointKeys = services.map(service => `${service.endpointKey}Endpoint`);
const whoamiSettingKeys = [...new Set(services.flatMap(service => service.whoamiSettings?.map(setting => setting.key) ?? []))];
const addKeys = ['awsRegion', 'awsCredentials', 'awsProfile', 'alibabaRegion', 'alibabaAccountId', 'alibabaCredentials', 'alibabaProfile', 'logviewHost', 'description', ...endpointKeys, ...whoamiSettingKeys];
const secretKeys = ['awsAccessKeyId', 'awsSecretAccessKey', 'awsSessionToken', 'alibabaAccessKeyId', 'alibabaAccessKeySecret', 'alibabaSecurityToken'];

function credentialSource(kind: string | undefined, vendorProfile: string | undefined, side: string): CredentialSource {
	if (kind === undefined || kind === 'chain') {
		return vendorProfile ? {kind: 'chain', profile: vendorProfile} : {kind: 'chain'};
	}

	if (kind === 'stored') {
		return {kind: 'stored'};
	}

	throw new UsageError(`${side}Credentials must be chain or stored, got ${JSON.stringify(kind)}`);
}

async function add(name: string, args: ParsedArgs, io: CommandIo): Promise<number> {
	const fromFile = args.flags.answers ? await readAnswersFile(args.flags.answers) : {};
	// The usual order: --set, then the environment (FERRY_SECRET_* for keys), then the file.
	const fromEnv = Object.fromEntries(secretKeys.map(key => [key, process.env[secretEnvName(key)]]).filter(([, value]) => value));
	const values: Record<string, string> = {};
	for (const [key, value] of Object.entries({...fromFile, ...fromEnv, ...parseSetFlags(args.flags.set)})) {
		if (!addKeys.includes(key) && !secretKeys.includes(key)) {
			const match = closestMatch(key, [...addKeys, ...secretKeys]);
			throw new UsageError(`Unknown profile setting ${JSON.stringify(key)}`, {hint: `${match ? `Did you mean ${match}? ` : ''}Settings: ${addKeys.join(', ')}; keys (answers file or FERRY_SECRET_*): ${secretKeys.join(', ')}`});
		}

		if (secretKeys.includes(key) && key in parseSetFlags(args.flags.set) && /Secret|Token/.test(key)) {
			throw new UsageError(`${key} is a secret and cannot be passed with --set`, {hint: `Put it in the answers file or set ${secretEnvName(key)}.`});
		}

		values[key] = String(value);
	}

	for (const key of secretKeys) {
		values[key] ??= '';
	}

	// In a terminal, keys that are still missing are asked for, the secret ones masked.
	if (decideMode({noInput: args.flags.noInput, json: args.flags.json}) === 'interactive') {
		const wanted = [
			...(values['awsCredentials'] === 'stored' ? ['awsAccessKeyId', 'awsSecretAccessKey'] : []),
			...(values['alibabaCredentials'] === 'stored' ? ['alibabaAccessKeyId', 'alibabaAccessKeySecret'] : []),
		];
		for (const key of wanted.filter(key => !values[key])) {
			values[key] = (await promptLine(`${key}: `, {mask: /Secret/.test(key), stdin: io.stdin, output: io.stderr})).trim();
		}
	}

	if (!values['alibabaRegion']) {
		throw new UsageError('A profile needs alibabaRegion (and awsRegion when it reaches AWS)', {hint: `Example: ferry profiles add ${name} --set alibabaRegion=ap-southeast-1 --set awsRegion=ap-southeast-1`});
	}

	const endpoints = (vendor: 'aws' | 'alibaba') => Object.fromEntries(services.filter(service => service.vendor === vendor && values[`${service.endpointKey}Endpoint`]).map(service => [service.endpointKey, values[`${service.endpointKey}Endpoint`]!]));
	const settings = Object.fromEntries(whoamiSettingKeys.filter(key => values[key]).map(key => [key, values[key]!]));
	const profile: Profile = {
		name,
		...(values['description'] ? {description: values['description']} : {}),
		...(values['awsRegion'] ? {aws: {region: values['awsRegion'], credentials: credentialSource(values['awsCredentials'], values['awsProfile'], 'aws'), endpoints: endpoints('aws')}} : {}),
		alibaba: {
			region: values['alibabaRegion'],
			...(values['alibabaAccountId'] ? {accountId: values['alibabaAccountId']} : {}),
			credentials: credentialSource(values['alibabaCredentials'], values['alibabaProfile'], 'alibaba'),
			endpoints: endpoints('alibaba'),
			...(values['logviewHost'] ? {logviewHost: values['logviewHost']} : {}),
		},
		...(Object.keys(settings).length > 0 ? {settings} : {}),
	};
	if (profile.aws?.credentials.kind === 'stored') {
		if (!values['awsAccessKeyId'] || !values['awsSecretAccessKey']) {
			throw new UsageError('Stored AWS credentials need awsAccessKeyId and awsSecretAccessKey', {hint: `Put them in the answers file (--answers) or set ${secretEnvName('awsSecretAccessKey')}.`});
		}

		await setProfileKeys(name, {aws: {accessKeyId: values['awsAccessKeyId'], secretAccessKey: values['awsSecretAccessKey'], ...(values['awsSessionToken'] ? {sessionToken: values['awsSessionToken']} : {})}});
	}

	if (profile.alibaba.credentials.kind === 'stored') {
		if (!values['alibabaAccessKeyId'] || !values['alibabaAccessKeySecret']) {
			throw new UsageError('Stored Alibaba Cloud credentials need alibabaAccessKeyId and alibabaAccessKeySecret', {hint: `Put them in the answers file (--answers) or set ${secretEnvName('alibabaAccessKeySecret')}.`});
		}

		await setProfileKeys(name, {alibaba: {accessKeyId: values['alibabaAccessKeyId'], accessKeySecret: values['alibabaAccessKeySecret'], ...(values['alibabaSecurityToken'] ? {securityToken: values['alibabaSecurityToken']} : {})}});
	}

	await saveProfile(profile);
	io.stdout.write(args.flags.json ? `${JSON.stringify(profile, undefined, 2)}\n` : `Saved profile ${name}. Test it with \`ferry profiles test ${name}\`.\n`);
	return exitCodes.ok;
}

/** "Who am I" on every service the profile reaches (or the ones named after it), each with the settings its whoami needs. */
async function test(name: string, args: ParsedArgs, io: CommandIo): Promise<number> {
	const only = args.positionals.slice(2);
	const unknown = only.filter(service => !services.some(candidate => candidate.name === service && candidate.whoami));
	if (unknown.length > 0) {
		throw new UsageError(`Unknown service ${unknown.map(service => JSON.stringify(service)).join(', ')}`, {hint: `Services: ${services.filter(service => service.whoami).map(service => service.name).join(', ')}.`});
	}

	const profile = await getProfile(name);
	await prepareProfile(profile, {log: lineWriter(io.stderr, args.flags.logLevel)});
	const resolved = await resolveProfile(profile);
	const settings: Record<string, string> = {...profileSettings(profile.name), ...parseSetFlags(args.flags.set)};
	const signal = AbortSignal.timeout(60_000);
	const reached = services.filter(service => service.whoami && (service.vendor === 'alibaba' || profile.aws) && (only.length === 0 || only.includes(service.name)));
	const results = [];
	for (const service of reached) {
		const missing = (service.whoamiSettings ?? []).filter(setting => !settings[setting.key]);
		if (missing.length > 0) {
			results.push({service: service.name, ok: false, identity: `needs ${missing.map(setting => `${setting.key} (${setting.help})`).join(', ')}`, hint: `Pass ${missing.map(setting => `--set ${setting.key}=…`).join(' ')}, or keep it in the profile with \`ferry profiles add ${name} … ${missing.map(setting => `--set ${setting.key}=…`).join(' ')}\`.`});
			continue;
		}

		try {
			results.push({service: service.name, ok: true, identity: await service.whoami!({profile: resolved, settings, log: silentLogger, signal})});
		} catch (error) {
			const {message, hint} = describeError(error);
			results.push({service: service.name, ok: false, identity: message, ...(hint ? {hint} : {})});
		}
	}

	if (args.flags.json) {
		io.stdout.write(`${JSON.stringify({profile: name, aws: resolved.aws.source, alibaba: resolved.alibaba.source, results}, undefined, 2)}\n`);
	} else {
		io.stdout.write(`Profile ${name} (AWS: ${resolved.aws.source}; Alibaba Cloud: ${resolved.alibaba.source})\n`);
		io.stdout.write(formatTable(['SERVICE', 'RESULT', 'WHO'], results.map(result => [result.service, result.ok ? 'ok' : 'FAILED', result.identity + ('hint' in result && result.hint ? ` — ${result.hint}` : '')])));
	}

	return results.every(result => result.ok) ? exitCodes.ok : exitCodes.configuration;
}

export default async function profiles(args: ParsedArgs, io: CommandIo): Promise<number> {
	const [action = 'list', name] = args.positionals;
	const needName = () => {
		if (!name) {
			throw new UsageError(`ferry profiles ${action} needs a profile name`, {hint: 'List profiles with `ferry profiles`.'});
		}

		return name;
	};

	switch (action) {
		case 'list': {
			const all = await listProfiles();
			io.stdout.write(args.flags.json
				? `${JSON.stringify(all, undefined, 2)}\n`
				: formatTable(['NAME', 'AWS', 'ALIBABA CLOUD', 'DESCRIPTION'], all.map(profile => [profile.name, profile.aws ? `${profile.aws.region} · ${describeCredentials(profile.aws.credentials)}` : '—', `${profile.alibaba.region} · ${describeCredentials(profile.alibaba.credentials)}`, profile.description ?? ''])));
			return exitCodes.ok;
		}

		case 'show': {
			const profile = await getProfile(needName());
			const keys = await getProfileKeys(profile.name);
			const stored = {
				...(keys.aws ? {aws: {accessKeyId: keys.aws.accessKeyId, secretAccessKey: maskSecret(keys.aws.secretAccessKey)}} : {}),
				...(keys.alibaba ? {alibaba: {accessKeyId: keys.alibaba.accessKeyId, accessKeySecret: maskSecret(keys.alibaba.accessKeySecret)}} : {}),
			};
			io.stdout.write(`${JSON.stringify({...profile, storedKeys: stored}, undefined, 2)}\n`);
			return exitCodes.ok;
		}

		case 'add': {
			return add(needName(), args, io);
		}

		case 'test': {
			return test(needName(), args, io);
		}

		case 'remove': {
			await removeProfile(needName());
			io.stdout.write(args.flags.json ? `${JSON.stringify({removed: name})}\n` : `Removed profile ${name}.\n`);
			return exitCodes.ok;
		}

		default: {
			throw new UsageError(`Unknown profiles action ${JSON.stringify(action)}`, {hint: 'Use list, show, add, test or remove.'});
		}
	}
}
