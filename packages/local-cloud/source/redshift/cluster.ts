/**
 * The provisioned cluster `ferry-local` as the Redshift management API sees it: the IAM roles associated with it
 * (with their ApplyStatus going from `adding` to `in-sync`, and from `removing` to gone, a few seconds after a
 * change, as the service applies them asynchronously) and its default IAM role. Kept in `cluster.json` in the
 * Redshift stand-in's data folder; shared by the management API and UNLOAD, which may use only in-sync roles.
 */
import {existsSync, mkdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {writeFileAtomic} from 'ferry/store/atomic-write';
import type {StandInHandle} from '../contract.js';

export type IamRoleStatus = 'adding' | 'in-sync' | 'removing';

type IamRoleRecord = {arn: string; status: IamRoleStatus; changedAt: number};

type ClusterData = {createdAt: string; iamRoles: IamRoleRecord[]; defaultIamRoleArn?: string};

export type RedshiftClusterOptions = {
	dataDir: string;
	identifier: string;
	region: string;
	accountId: string;
	/** Roles associated (in-sync) and the default role when the cluster is first created. */
	seed: {iamRoles: readonly string[]; defaultIamRoleArn?: string};
	/** How long an association or removal takes to apply. @default 3000 */
	applyMs?: number;
	now?: () => number;
};

export class RedshiftCluster {
	readonly identifier: string;
	readonly arn: string;
	readonly region: string;
	readonly accountId: string;
	private readonly file: string;
	private readonly data: ClusterData;
	private readonly applyMs: number;
	private readonly now: () => number;

	private constructor(options: RedshiftClusterOptions, file: string, data: ClusterData) {
		this.identifier = options.identifier;
		this.region = options.region;
		this.accountId = options.accountId;
		this.arn = `arn:aws:redshift:${options.region}:${options.accountId}:cluster:${options.identifier}`;
		this.file = file;
		this.data = data;
		this.applyMs = options.applyMs ?? 3000;
		this.now = options.now ?? Date.now;
	}

	static open(options: RedshiftClusterOptions): RedshiftCluster {
		mkdirSync(options.dataDir, {recursive: true});
		const file = path.join(options.dataDir, 'cluster.json');
		if (existsSync(file)) {
			return new RedshiftCluster(options, file, JSON.parse(readFileSync(file, 'utf8')) as ClusterData);
		}

		const cluster = new RedshiftCluster(options, file, {
			createdAt: new Date().toISOString(),
			iamRoles: options.seed.iamRoles.map(arn => ({arn, status: 'in-sync', changedAt: 0})),
			...(options.seed.defaultIamRoleArn ? {defaultIamRoleArn: options.seed.defaultIamRoleArn} : {}),
		});
		cluster.save();
		return cluster;
	}

	get createdAt(): string {
		return this.data.createdAt;
	}

	private save(): void {
		writeFileAtomic(this.file, `${JSON.stringify(this.data, undefined, '\t')}\n`);
	}

	/** Applies the changes whose time has come: `adding` becomes `in-sync`, `removing` disappears. */
	private settle(): void {
		const now = this.now();
		let changed = false;
		for (const role of this.data.iamRoles) {
			if (role.status === 'adding' && now - role.changedAt >= this.applyMs) {
				role.status = 'in-sync';
				role.changedAt = now;
				changed = true;
			}
		}

		const kept = this.data.iamRoles.filter(role => !(role.status === 'removing' && now - role.changedAt >= this.applyMs));
		if (changed || kept.length !== this.data.iamRoles.length) {
			this.data.iamRoles = kept;
			this.save();
		}
	}

	iamRoles(): Array<{arn: string; status: IamRoleStatus}> {
		this.settle();
		return this.data.iamRoles.map(({arn, status}) => ({arn, status}));
	}

	get defaultIamRoleArn(): string | undefined {
		return this.data.defaultIamRoleArn;
	}

	/** Whether the cluster is still applying a role change (its status is then `modifying`). */
	get modifying(): boolean {
		return this.iamRoles().some(role => role.status !== 'in-sync');
	}

	/** The status UNLOAD and COPY need: associated and applied. */
	inSync(arn: string): boolean {
		return this.iamRoles().some(role => role.arn === arn && role.status === 'in-sync');
	}

	/**
	 * ModifyClusterIamRoles after its checks: added roles start `adding`, removed ones `removing`; a role being
	 * removed that is added again starts over. Removing the default role clears the default.
	 */
	modifyIamRoles(change: {add: readonly string[]; remove: readonly string[]; defaultIamRoleArn?: string}): void {
		this.settle();
		const now = this.now();
		for (const arn of change.remove) {
			const role = this.data.iamRoles.find(candidate => candidate.arn === arn);
			if (role && role.status !== 'removing') {
				role.status = 'removing';
				role.changedAt = now;
			}

			if (this.data.defaultIamRoleArn === arn) {
				delete this.data.defaultIamRoleArn;
			}
		}

		for (const arn of change.add) {
			const role = this.data.iamRoles.find(candidate => candidate.arn === arn);
			if (!role) {
				this.data.iamRoles.push({arn, status: 'adding', changedAt: now});
			} else if (role.status === 'removing') {
				role.status = 'adding';
				role.changedAt = now;
			}
		}

		if (change.defaultIamRoleArn !== undefined) {
			this.data.defaultIamRoleArn = change.defaultIamRoleArn;
		}

		this.save();
	}
}

/** The cluster behind the Redshift stand-in's handle, for the management API (`needs: ['redshift']`). */
export function clusterOf(handle: StandInHandle | undefined): RedshiftCluster {
	const shared = handle?.shared;
	if (!(shared instanceof RedshiftCluster)) {
		throw new Error('The Redshift stand-in must run before its management API (needs: [\'redshift\'])');
	}

	return shared;
}
