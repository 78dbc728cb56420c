/**
 * Deciding whether an identity may do what a run needs, from the policies attached to it, with the one evaluator
 * (`policy.ts`): allowed, denied, or not decidable here (a condition on a key ferry cannot know, such as the
 * caller's address), which is reported and never taken for a denial.
 */
import {evaluatePolicies, parsePolicy, PolicyDocumentError, type PolicyDialect, type SourcedPolicy} from './policy.js';

export type RequiredPermission = {action: string; resource: string; context?: Readonly<Record<string, string>>};

export type PermissionDecision = {permission: RequiredPermission; outcome: 'allowed' | 'denied' | 'undecided'; missingContextKeys: readonly string[]};

export function permissionText(permission: RequiredPermission): string {
	const context = Object.entries(permission.context ?? {}).map(([key, value]) => `${key}=${value}`);
	return `${permission.action} on ${permission.resource}${context.length > 0 ? ` (${context.join(', ')})` : ''}`;
}

/** A named policy document as the cloud returned it, read as an identity policy; a document ferry cannot read is said so. */
export function readIdentityPolicy(id: string, text: string, dialect: PolicyDialect): SourcedPolicy | {id: string; unreadable: string} {
	try {
		return {id, policy: parsePolicy(text, {dialect, kind: 'identity'})};
	} catch (error) {
		if (error instanceof PolicyDocumentError) {
			return {id, unreadable: error.message};
		}

		throw error;
	}
}

/** What the policies decide for each permission. */
export function decidePermissions(policies: readonly SourcedPolicy[], permissions: readonly RequiredPermission[]): PermissionDecision[] {
	return permissions.map(permission => {
		const evaluation = evaluatePolicies(policies, {action: permission.action, resource: permission.resource, ...(permission.context ? {context: permission.context} : {})});
		const outcome = evaluation.decision === 'allowed' ? 'allowed' : evaluation.decision === 'implicitDeny' && evaluation.missingContextKeys.length > 0 ? 'undecided' : 'denied';
		return {permission, outcome, missingContextKeys: evaluation.missingContextKeys};
	});
}

/** Does this trust policy let the service principal take the role? */
export function trustsService(trustPolicy: string, service: string, dialect: PolicyDialect, roleArn: string): boolean | {unreadable: string} {
	try {
		const policy = parsePolicy(trustPolicy, {dialect, kind: 'trust'});
		return evaluatePolicies([{id: 'trust', policy}], {action: 'sts:AssumeRole', resource: roleArn, principal: {type: 'Service', name: service}}).decision === 'allowed';
	} catch (error) {
		if (error instanceof PolicyDocumentError) {
			return {unreadable: error.message};
		}

		throw error;
	}
}
