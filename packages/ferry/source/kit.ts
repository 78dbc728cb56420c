/**
 * What a wizard under wizards/<id>/ may use: the definition API, typed errors, waiting and progress helpers,
 * clients made from a profile, and verification. Wizards import this module, not ferry's internals, so the
 * engine, the store and the UI can change without touching a procedure.
 */
import {requireOutput} from './engine/procedure.js';
import type {Answers, StepOutputs} from './engine/wizard.js';
export type {FactColumn, FactPartition, SourceFact} from './engine/source-facts.js';

export {defineWizard} from './engine/wizard.js';
export {defineParameters, defineProcedure, fixedChoices} from './engine/procedure.js';
export type {AnswersOf, ParameterKeyOf, Procedure, ProcedureClientOptions, ProcedureContext, ProcedureStep, ProcedureTypes, RecordedOutputs, SecretKeyOf} from './engine/procedure.js';
export type {
	Answers,
	Checkpoints,
	FactsDeclaration,
	Parameter,
	ParameterContext,
	ReviewDocument,
	ReviewSection,
	ReviewTable,
	SecretStore,
	SideQueryResult,
	Step,
	StepContext,
	StepOutputs,
	SubTask,
	SubTaskContext,
	Wizard,
	WizardSide,
} from './engine/wizard.js';
export {ConfigurationError, describeError, PreflightError, ServiceError, StepError, UsageError} from './engine/errors.js';
export {backoffDelay} from './clouds/retry.js';
export {pollUntil} from './engine/poll.js';
export {formatBytes, formatDuration, formatProgress} from './engine/progress.js';
export {mapConcurrent} from './engine/concurrency.js';
export type {Logger} from './log/logger.js';
export {registerSecret} from './log/redact.js';
export {resolveProfile, type ResolvedProfile} from './services/profile-endpoints.js';
export {getProfile} from './store/profiles.js';
export {maxComputeFor, maxComputeSide} from './services/maxcompute.js';
export {dataHubFor} from './services/datahub.js';
export {dataWorksFor} from './services/dataworks.js';
export {logServiceFor} from './services/log-service.js';
export {objectStoreFor} from './services/object-stores.js';
export {onlineMigrationFor} from './services/online-migration.js';
export {redshiftFor, type RedshiftAccess} from './services/redshift.js';
export {describeTable, listTables, type ColumnDescription, type TableSummary} from './clouds/redshift/catalog.js';
export {copyPrefix, type CopiedObject} from './clouds/object-store/copy.js';
export {ensureMaxComputeTable, type EnsuredTable} from './actions/maxcompute-table.js';
export {ensureLogstoreAndIndex, type EnsuredLogstore} from './actions/log-service.js';
export {waitForDeployment} from './actions/dataworks.js';
export {verifyStep, type Checks} from './actions/verification.js';
export {runVerification, type SideRunner} from './verify/run.js';
export type {QueryOutcome, QueryResult} from './verify/compare.js';
export {defaultRelativeTolerance, type QueryPair, type RowCountCauses} from './verify/query-pair.js';
export type {VerificationReport} from './verify/report.js';
export {checkLine, verdictLine} from './verify/report-summary.js';
export type {CheckOutcome} from './verify/outcome.js';
export {formatDecimal, parseDecimal, type Decimal} from './verify/decimal.js';
export {DistinctCounter} from './verify/distinct.js';
export {writeFileAtomic} from './store/atomic-write.js';
export type {ConnectorShardStatus, CursorRequest, DataHubClient, DataHubRecord} from './clouds/datahub/client.js';
export type {DataWorksClient} from './clouds/dataworks/client.js';
export type {LogServiceClient} from './clouds/log-service/client.js';
export type {MaxComputeClient} from './clouds/maxcompute/client.js';
export type {Inventory, ObjectStore} from './clouds/object-store/client.js';
export type {OnlineMigrationClient} from './clouds/online-migration/client.js';
export type {RedshiftConnection} from './clouds/redshift/connection.js';
export type {CreatedResource, RunMode} from './engine/wizard.js';
export {iamFor, awsStsFor} from './services/iam.js';
export type {IamClient} from './clouds/iam/client.js';
export type {AlibabaCaller, RamClient} from './clouds/ram/client.js';
export type {RedshiftManagementClient} from './clouds/redshift/management-client.js';
export {callerEntity} from './clouds/aws/sts-client.js';
export {resolveAlibabaCredentials, type AlibabaCredentialsProvider} from './clouds/credentials/alibaba.js';
export {ramFor, alibabaStsFor} from './services/ram.js';
export {redshiftManagementFor} from './services/redshift.js';
export {checkAwsServiceRole, parseIamRoleArn, type AwsRoleRequirement} from './identity/aws-role.js';
export {checkRamServiceRole, parseRamRoleArn, ramRoleArn, type RamRoleRequirement} from './identity/ram-role.js';
export {checkMaxComputeGrants, type GrantsRequirement} from './identity/maxcompute-grants.js';
export {decidePermissions, permissionText, readIdentityPolicy, type RequiredPermission} from './identity/permissions.js';
export {findingLine, identityGate, isSatisfied, newFinding, type IdentityFinding} from './identity/findings.js';
export {identityReviewSections} from './identity/review.js';
export {shellJson, shellWord} from './identity/shell-quote.js';
export {createIdentitiesAnswer, createIdentitiesParameter, identitiesStep, identityCheck, identityFindingsOf, findingsKey} from './identity/steps.js';

/** An answer as text: '' when it was left empty. */
export function answerText(context: {answers: Answers}, key: string): string {
	return String(context.answers[key] ?? '');
}

/** An answer as a number (the engine has parsed number parameters already). */
export function answerNumber(context: {answers: Answers}, key: string): number {
	return Number(context.answers[key]);
}

/**
 * What an earlier step recorded with `output(key, value)`, as the type the caller names. Missing, it is a step
 * failure that names the step: a session from before that step recorded it cannot go on.
 */
export function requiredOutput<T>(context: {outputs: StepOutputs}, step: string, key: string): T {
	return requireOutput(context.outputs, step, key) as T;
}

/** A step summary from its parts, e.g. `stepSummary(count(8, 'table'), count(86_791, 'row'), formatBytes(bytes))`; empty parts are left out. */
export function stepSummary(...parts: Array<string | false | undefined>): string {
	return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(' · ');
}

/** `count(86791, 'row')` → "86,791 rows", `count(1, 'shard')` → "1 shard"; irregular plurals are passed. */
export function count(amount: number, noun: string, plural = `${noun}s`): string {
	return `${amount.toLocaleString('en-US')} ${amount === 1 ? noun : plural}`;
}

/** A file kept beside the session (a job, an export), so it is found with the session and removed with it. */
export async function sessionFilePath(sessionId: string, name: string): Promise<string> {
	const [{sessionFiles}, path] = await Promise.all([import('./store/session-store.js'), import('node:path')]);
	return path.join(path.dirname(sessionFiles(sessionId).session), name);
}

/** Resolves the session's profile by name: endpoints, credentials and the local cloud's stand-ins. */
export async function profileNamed(name: string) {
	const [{getProfile}, {resolveProfile}] = await Promise.all([import('./store/profiles.js'), import('./services/profile-endpoints.js')]);
	return resolveProfile(await getProfile(name));
}
