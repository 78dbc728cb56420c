/**
 * The DataConnector writes into MaxCompute with the keys it is given, and the procedure says that account needs
 * CreateInstance on the project and Describe, Alter and Update on the table. MaxCompute has no "can I?" call, so
 * preflight probes each permission with a statement that needs it and changes nothing (or only what the connector
 * would change anyway), and reads a denial from MaxCompute's own message: `ODPS-0130013:Authorization exception -
 * Authorization Failed [4019], You have NO privilege 'odps:Update' on {acs:odps:*:projects/p/tables/t}`.
 */
import {PreflightError, type MaxComputeClient} from '../../source/kit.js';

export type TablePermission = 'Describe' | 'Alter' | 'Update';
export type PermissionProbe = {permission: TablePermission; statement: string};
export type ProbeOutcome = {checked: TablePermission[]; unchecked: Array<{permission: TablePermission; why: string}>};

const quote = (name: string) => `\`${name.replaceAll('`', '``')}\``;
const literal = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll('\'', '\\\'')}'`;

/**
 * - Describe: `DESC` the table;
 * - Update: an INSERT of no rows into dynamic partitions, which writes nothing and creates no partition (it reads
 *   the table too, so a denial of Select says nothing about Update: that probe is then left to the grants);
 * - Alter: `ALTER TABLE … ADD IF NOT EXISTS PARTITION` of the partition the connector writes first, which the
 *   connector would add itself; only when that partition is known before any record is written (SYSTEM_TIME).
 */
export function permissionProbes(table: string, dataColumns: readonly string[], partition: {column: string; firstValue?: string}): PermissionProbe[] {
	const probes: PermissionProbe[] = [
		{permission: 'Describe', statement: `DESC ${quote(table)};`},
		{permission: 'Update', statement: `INSERT INTO TABLE ${quote(table)} PARTITION (${quote(partition.column)}) SELECT ${[...dataColumns, partition.column].map(quote).join(', ')} FROM ${quote(table)} WHERE 1 = 0;`},
	];
	if (partition.firstValue !== undefined) {
		probes.push({permission: 'Alter', statement: `ALTER TABLE ${quote(table)} ADD IF NOT EXISTS PARTITION (${quote(partition.column)} = ${literal(partition.firstValue)});`});
	}

	return probes;
}

/** The permission a MaxCompute error says is missing (`odps:Update`), if it is an authorization error. */
export function deniedPermission(error: unknown): string | undefined {
	const message = error instanceof Error ? error.message : String(error);
	const privilege = /NO privilege '?(odps:\w+)'?/i.exec(message);
	if (privilege) {
		return privilege[1];
	}

	return /ODPS-0130013|Authorization exception|ODPS-0420095|Access Denied/i.test(message) ? 'odps:(unnamed)' : undefined;
}

export function permissionDenied(account: string, project: string, table: string, permission: string): PreflightError {
	const action = permission.replace(/^odps:/, '');
	return new PreflightError(`The DataConnector's account ${account} lacks ${permission} on table ${project}.${table}: the connector could not write`, {
		hint: `Grant it in MaxCompute (e.g. \`GRANT Describe, Alter, Update ON TABLE ${table} TO USER ${account};\`${action === '(unnamed)' ? '' : `, ${action} at least`}), or give the connector another account with --profile.`,
	});
}

/**
 * Runs the probes with the connector's account. A denial stops preflight (exit 4) naming the permission; any other
 * failure (the service does not accept the probe statement) leaves that permission unchecked, said in the report.
 */
export async function probePermissions(maxcompute: MaxComputeClient, probes: readonly PermissionProbe[], who: {account: string; table: string}, signal?: AbortSignal): Promise<ProbeOutcome> {
	const outcome: ProbeOutcome = {checked: [], unchecked: []};
	for (const probe of probes) {
		try {
			await maxcompute.runSql(probe.statement, {signal});
			outcome.checked.push(probe.permission);
		} catch (error) {
			const denied = deniedPermission(error);
			if (probe.permission === 'Update' && denied?.toLowerCase() === 'odps:select') {
				// The probe reads the table (INSERT … SELECT … FROM it); the connector only writes, so Select is not its to need.
				outcome.unchecked.push({permission: probe.permission, why: 'the probe also reads the table, which needs Select (the connector does not); the grants decide'});
				continue;
			}

			if (denied) {
				throw permissionDenied(who.account, maxcompute.project, who.table, denied === 'odps:(unnamed)' ? `odps:${probe.permission}` : denied);
			}

			if (signal?.aborted) {
				throw error;
			}

			outcome.unchecked.push({permission: probe.permission, why: (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160)});
		}
	}

	return outcome;
}
