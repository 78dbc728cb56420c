/**
 * What the stand-in does behind the API: checks addresses the way the service does (list the S3 source with its
 * keys; for the OSS destination assume its RAM role in STS as the migration service and find the bucket with the
 * temporary keys) and runs a job by really copying every object from the source to the destination through the S3
 * API, streaming, with counts, bytes and a report. So the role's existence, its trust policy and its OSS permissions
 * decide in RAM, STS and OSS themselves; their codes and messages are what the address's VerifyResult and a failed
 * job report (the service's own wording around them is not in the pages read offline).
 */
import {createObjectStore, type ObjectStore} from 'ferry/clouds/object-store/client';
import {ServiceError} from 'ferry/engine/errors';
import {silentLogger} from 'ferry/log/logger';
import {IdentityError, roleArn, type AlibabaIdentities} from '../identity/alibaba.js';
import type {AddressRecord, JobRecord, RunRecord, StateFile, VerifyRecord} from './state.js';

/** The OSS the service writes to. */
export type OssAccess = {endpoint: string; region: string};

export type RunnerOptions = {
	state: StateFile;
	region: string;
	accountId: string;
	oss: OssAccess;
	/** The account whose roles the service assumes for OSS addresses. */
	identities: AlibabaIdentities;
};

/**
 * The service principal Data Online Migration assumes roles as. Its "Preparations" page has the role trust the
 * Online Migration service ("在线迁移服务") without printing the principal; `mgw.aliyuncs.com` follows the service's
 * endpoint domain (verify).
 */
export const migrationServicePrincipal = 'mgw.aliyuncs.com';

type Connected = {store: ObjectStore; bucket: string; prefix: string};

class AddressUnavailable extends Error {
	readonly code: string;
	readonly httpCode: string;

	constructor(code: string, httpCode: string, message: string) {
		super(message);
		this.code = code;
		this.httpCode = httpCode;
	}
}

function regionOfS3Domain(domain: string): string | undefined {
	return /s3[.-]([a-z\d-]+)\.amazonaws\.com/.exec(domain)?.[1];
}

export class JobRunner {
	readonly #options: RunnerOptions;
	readonly #running = new Map<string, AbortController>();

	constructor(options: RunnerOptions) {
		this.#options = options;
	}

	/** Connects to an address as the service would, and proves access by listing (source) or finding the bucket (destination). */
	async connect(address: AddressRecord, signal?: AbortSignal): Promise<Connected> {
		const {detail} = address;
		const prefix = detail.Prefix ?? '';
		let store: ObjectStore;
		if (detail.AddressType === 's3') {
			if (!detail.Domain || !detail.AccessId || !detail.AccessSecret) {
				throw new AddressUnavailable('InvalidArgument', '400', 'An s3 address needs Domain, AccessId and AccessSecret.');
			}

			const endpoint = /^[a-z]+:\/\//.test(detail.Domain) ? detail.Domain : `https://${detail.Domain}`;
			store = createObjectStore({
				kind: 's3',
				endpoint,
				region: detail.RegionId ?? regionOfS3Domain(detail.Domain) ?? this.#options.region,
				credentials: {accessKeyId: detail.AccessId, secretAccessKey: detail.AccessSecret},
				forcePathStyle: true,
				logger: silentLogger,
				attempts: 2,
			});
		} else if (detail.AddressType === 'oss') {
			const wanted = (detail.RegionId ?? '').replace(/^oss-/, '');
			if (wanted !== this.#options.oss.region.replace(/^oss-/, '')) {
				throw new AddressUnavailable('InvalidArgument', '400', `The OSS region "${detail.RegionId ?? ''}" is not served here (only oss-${this.#options.oss.region.replace(/^oss-/, '')}).`);
			}

			const {credentials} = this.#assumeRole(detail.Role ?? '');
			store = createObjectStore({
				kind: 'oss', endpoint: this.#options.oss.endpoint, region: this.#options.oss.region, logger: silentLogger, attempts: 2,
				credentials: {accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.accessKeySecret, sessionToken: credentials.securityToken},
			});
		} else {
			throw new AddressUnavailable('ImportAddressTypeInvalid', '400', `The address type "${detail.AddressType}" is not supported here.`);
		}

		try {
			if (detail.AddressType === 's3') {
				for await (const object of store.list(detail.Bucket, prefix, {signal, pageSize: 1})) {
					void object;
					break;
				}
			} else if (!await store.bucketExists(detail.Bucket, {signal})) {
				throw new AddressUnavailable('NoSuchBucket', '404', `The bucket "${detail.Bucket}" does not exist.`);
			}
		} catch (error) {
			if (error instanceof AddressUnavailable) {
				throw error;
			}

			const code = error instanceof ServiceError ? error.code ?? 'AccessDenied' : 'ConnectionFailed';
			const httpCode = error instanceof ServiceError && error.status ? String(error.status) : '0';
			throw new AddressUnavailable(code, httpCode, error instanceof Error ? error.message : String(error));
		}

		return {store, bucket: detail.Bucket, prefix};
	}

	/** STS AssumeRole for the address's role (its name; the account is the service's user), as the migration service. */
	#assumeRole(roleName: string) {
		try {
			return this.#options.identities.assumeRoleAsService({roleArn: roleArn(this.#options.accountId, roleName), service: migrationServicePrincipal, sessionName: 'hcs-mgw'});
		} catch (error) {
			if (error instanceof IdentityError) {
				throw new AddressUnavailable(error.code, String(error.status), `${error.message} (role ${roleName || '(none)'})`);
			}

			throw error;
		}
	}

	async verify(address: AddressRecord): Promise<VerifyRecord> {
		const time = new Date().toISOString();
		try {
			await this.connect(address);
			return {status: 'available', httpCode: '200', errorCode: '', errorMessage: '', time};
		} catch (error) {
			const unavailable = error instanceof AddressUnavailable ? error : new AddressUnavailable('InternalError', '500', String(error));
			return {status: 'unavailable', httpCode: unavailable.httpCode, errorCode: unavailable.code, errorMessage: unavailable.message, time};
		}
	}

	isRunning(jobName: string): boolean {
		return this.#running.has(jobName);
	}

	stop(jobName: string): void {
		this.#running.get(jobName)?.abort();
		this.#running.delete(jobName);
	}

	stopAll(): void {
		for (const name of [...this.#running.keys()]) {
			this.stop(name);
		}
	}

	/** Starts (or, after a restart, resumes) the newest run of a job in the background. */
	launch(job: JobRecord, run: RunRecord): void {
		const controller = new AbortController();
		this.#running.set(job.name, controller);
		void this.#run(job, run, controller.signal).finally(() => {
			if (this.#running.get(job.name) === controller) {
				this.#running.delete(job.name);
			}
		});
	}

	async #setStatus(job: JobRecord, run: RunRecord, status: string): Promise<void> {
		job.status = status;
		run.status = status;
		job.modifyTime = new Date().toISOString();
		await this.#options.state.save();
	}

	async #run(job: JobRecord, run: RunRecord, signal: AbortSignal): Promise<void> {
		const {state} = this.#options;
		const source = state.state.addresses[job.srcAddress];
		const destination = state.state.addresses[job.destAddress];
		try {
			await this.#setStatus(job, run, 'IMPORT_JOB_PREPARING');
			if (!source || !destination) {
				throw new AddressUnavailable('NoSuchImportAddress', '404', 'An address of the job no longer exists.');
			}

			const from = await this.connect(source, signal);
			const to = await this.connect(destination, signal);
			await this.#setStatus(job, run, 'IMPORT_JOB_DOING');
			run.listStatus = 'Listing';
			const inventory = await from.store.inventory(from.bucket, from.prefix, {signal});
			Object.assign(run, {listStatus: 'Finished', totalCount: inventory.count, totalSize: inventory.bytes, copiedCount: 0, copiedSize: 0, failedCount: 0, skippedCount: 0, failedKeys: []});
			await state.save();
			for (const object of inventory.objects) {
				signal.throwIfAborted();
				const targetKey = `${to.prefix}${object.key.slice(from.prefix.length)}`;
				try {
					if (job.overwriteMode === 'never' && await to.store.head(to.bucket, targetKey, {signal})) {
						run.skippedCount++;
						continue;
					}

					const body = await from.store.getStream(from.bucket, object.key, {signal});
					await to.store.upload(to.bucket, targetKey, body.body, {signal, ...(body.contentType ? {contentType: body.contentType} : {})});
					run.copiedCount++;
					run.copiedSize += object.size;
				} catch (error) {
					if (signal.aborted) {
						throw error;
					}

					run.failedCount++;
					run.failedKeys.push(object.key);
					run.message = error instanceof Error ? error.message : String(error);
				}

				await state.save();
			}

			run.endTime = new Date().toISOString();
			await this.#writeReport(job, run, to).catch(() => undefined);
			await this.#setStatus(job, run, run.failedCount > 0 ? 'IMPORT_JOB_INTERRUPTED' : 'IMPORT_JOB_FINISHED');
		} catch (error) {
			if (signal.aborted) {
				return;
			}

			run.endTime = new Date().toISOString();
			run.message = error instanceof Error ? `${(error as {code?: string}).code ?? 'Error'}: ${error.message}` : String(error);
			if (run.totalCount === 0 && run.listStatus !== 'Finished') {
				run.listStatus = 'Failed';
			}

			run.failedCount = Math.max(run.failedCount, run.totalCount - run.copiedCount - run.skippedCount, 1);
			await this.#setStatus(job, run, 'IMPORT_JOB_INTERRUPTED');
		}
	}

	/** Report objects go to the destination bucket under aliyun_import_report/, as the service writes them. */
	async #writeReport(job: JobRecord, run: RunRecord, to: Connected): Promise<void> {
		if (!job.createReport) {
			return;
		}

		const prefix = reportPrefix(this.#options.accountId, job, run);
		await to.store.put(to.bucket, `${prefix}failed_list/failed.list`, run.failedKeys.join('\n'));
		await to.store.put(to.bucket, `${prefix}total_list/total.list`, `${run.totalCount}\n`);
		run.reportCreateTime = new Date().toISOString();
	}
}

export function reportPrefix(accountId: string, job: JobRecord, run: RunRecord): string {
	return `aliyun_import_report/${accountId}/${job.version}/${run.runtimeId}/`;
}
