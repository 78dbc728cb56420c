import type {ParsedArgs} from '../cli-args.js';
import {parseSetFlags} from '../cli-args.js';
import {defaultFor, parseAnswer} from '../engine/parameters.js';
import type {Answers} from '../engine/wizard.js';
import {exitCodes, UsageError} from '../errors.js';
import {formatTable} from '../format.js';
import {silentLogger} from '../log/logger.js';
import type {CommandIo} from '../main.js';
import {prepareProfile, resolveProfile} from '../profile-endpoints.js';
import {openSessionSecrets} from '../store/credentials-store.js';
import {getProfile} from '../store/profiles.js';
import {loadSession, resolveSessionId} from '../store/session-store.js';
import {createMaxCompute, createRedshiftConnection} from '../../wizards/redshift-to-maxcompute/clients.js';
import {parameters} from '../../wizards/redshift-to-maxcompute/parameters.js';

/** Answers for a bare profile (no session): the wizard's defaults, then --set. */
export function profileAnswers(profile: string, set: string[]): Answers {
	const answers: Answers = {};
	for (const [key, value] of Object.entries(parseSetFlags(set))) {
		const parameter = parameters.find(candidate => candidate.key === key);
		if (!parameter) {
			throw new UsageError(`Unknown answer ${JSON.stringify(key)}`);
		}

		answers[key] = parseAnswer(parameter, value);
	}

	for (const parameter of parameters) {
		if (answers[parameter.key] === undefined && (!parameter.when || parameter.when(answers))) {
			const value = defaultFor(parameter, {answers, outputs: {}, profile});
			if (value !== undefined) {
				answers[parameter.key] = value;
			}
		}
	}

	return answers;
}

export default async function sql(args: ParsedArgs, io: CommandIo): Promise<number> {
	const statement = args.positionals.join(' ').trim();
	const side = args.flags.side;
	if (!statement) {
		throw new UsageError('ferry sql needs a statement', {hint: 'Example: ferry sql --session ID --side target "SELECT * FROM orders LIMIT 100"'});
	}

	if (side !== 'source' && side !== 'target') {
		throw new UsageError('ferry sql needs --side source (Redshift) or --side target (MaxCompute)');
	}

	if (Boolean(args.flags.session) === Boolean(args.flags.profile || args.flags.local)) {
		throw new UsageError('ferry sql needs exactly one of --session ID or --profile NAME');
	}

	const session = args.flags.session ? loadSession(resolveSessionId(args.flags.session)) : undefined;
	const profileName = session?.profile ?? (args.flags.local ? 'local' : args.flags.profile!);
	const profile = await getProfile(profileName);
	await prepareProfile(profile, {log: message => io.stderr.write(`${message}\n`)});
	const resolved = await resolveProfile(profile);
	const answers = session ? session.answers : profileAnswers(profileName, args.flags.set);
	const signal = AbortSignal.timeout(10 * 60_000);
	let columns: string[];
	let rows: unknown[][];
	let note = '';
	if (side === 'source') {
		const secrets = session ? await openSessionSecrets(session.id) : {get: () => undefined, set: () => undefined};
		const redshift = createRedshiftConnection(resolved, answers, secrets, silentLogger);
		try {
			const result = await redshift.query(statement, {signal});
			columns = result.columns.map(column => column.name);
			rows = result.rows;
		} finally {
			await redshift.close();
		}
	} else {
		const maxcompute = createMaxCompute(resolved, String(answers['maxcomputeProject'] ?? ''), silentLogger);
		const result = await maxcompute.runSql(statement.endsWith(';') ? statement : `${statement};`, {settings: {'odps.sql.type.system.odps2': 'true', 'odps.sql.decimal.odps2': 'true'}, signal});
		columns = result.columns;
		rows = result.rows;
		note = result.truncated ? 'The result was cut at 10,000 rows (the service keeps no more).' : result.columns.length === 0 ? result.text.trim() : '';
	}

	if (args.flags.json) {
		io.stdout.write(`${JSON.stringify({side, columns, rows, ...(note ? {note} : {})}, undefined, 2)}\n`);
	} else {
		if (columns.length > 0) {
			io.stdout.write(formatTable(columns, rows.map(row => row.map(value => (value === null ? 'NULL' : String(value))))));
		}

		if (note) {
			io.stderr.write(`${note}\n`);
		}
	}

	return exitCodes.ok;
}
