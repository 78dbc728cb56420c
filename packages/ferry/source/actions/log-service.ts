/**
 * The Log Service side of a procedure that writes logs: the project, the logstore and an index on every key.
 *
 * Rerun: safe. Each is created when missing and kept as it is when it exists (an existing index is not compared with
 * the keys: Log Service answers IndexAlreadyExist, and the index a user changed by hand is theirs). The index comes
 * before any log, because logs written before an index exists cannot be searched.
 */
import type {LogServiceClient} from '../clouds/log-service/client.js';

/** The tokens Log Service's console gives a new text index: the delimiters of logs written as key=value text. */
const indexTokens = [',', ' ', '\'', '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '\n', '\t', '\r'];

export type EnsuredLogstore = {projectCreated: boolean; logstoreCreated: boolean; indexCreated: boolean};

export async function ensureLogstoreAndIndex(logService: LogServiceClient, target: {
	project: string;
	/** The description of a project ferry creates. */
	projectDescription: string;
	logstore: string;
	ttlDays: number;
	shardCount: number;
	/** Every key the logs carry: each gets a case-sensitive text index. */
	keys: readonly string[];
	signal: AbortSignal;
}): Promise<EnsuredLogstore> {
	const {project, logstore, signal} = target;
	const projectCreated = (await logService.createProject(project, target.projectDescription, {signal})).created;
	const logstoreCreated = (await logService.createLogstore(project, logstore, {ttlDays: target.ttlDays, shardCount: target.shardCount, signal})).created;
	const keys = Object.fromEntries(target.keys.map(key => [key, {type: 'text' as const, caseSensitive: true, token: indexTokens}]));
	const indexCreated = (await logService.createIndex(project, logstore, {keys, line: {caseSensitive: false, token: indexTokens}, signal})).created;
	return {projectCreated, logstoreCreated, indexCreated};
}
