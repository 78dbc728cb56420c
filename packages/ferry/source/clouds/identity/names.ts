/**
 * Role names and role ARNs of AWS IAM and Alibaba Cloud RAM.
 *
 * Sources:
 * - IAM CreateRole (docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html): RoleName 1–64 characters,
 *   pattern [\w+=,.@-]+, not case-sensitive; Path "/" or /…/ of ASCII ! through DEL. A role ARN is
 *   arn:<partition>:iam::<12-digit account>:role/<path><name> (partitions aws, aws-cn, aws-us-gov).
 * - RAM CreateRole (alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-createrole): RoleName 1–64
 *   characters of letters, digits, periods and hyphens. A role ARN is acs:ram::<account uid>:role/<name>.
 */
import {nameRule, type NameRule} from '../name-rule.js';

export const iamRoleName: NameRule = nameRule({
	what: 'IAM role name',
	length: {min: 1, max: 64, unit: 'characters'},
	allowed: {test: /^[\w+=,.@-]$/, describe: 'letters, digits and + = , . @ _ -'},
});

export const ramRoleName: NameRule = nameRule({
	what: 'RAM role name',
	length: {min: 1, max: 64, unit: 'characters'},
	allowed: {test: /^[A-Za-z\d.-]$/, describe: 'letters, digits, periods and hyphens'},
});

export function iamRoleArnProblem(value: unknown): string | undefined {
	const arn = String(value);
	const match = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role(\/(?:[\u0021-\u007f]*\/)?)?([^/]*)$/.exec(arn);
	if (!match) {
		return 'Expected an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>';
	}

	return iamRoleName(match[4]!);
}

export function ramRoleArnProblem(value: unknown): string | undefined {
	const arn = String(value);
	const match = /^acs:ram::(\d+):role\/([^/]*)$/.exec(arn);
	if (!match) {
		return 'Expected a RAM role ARN, acs:ram::<account uid>:role/<name>';
	}

	return ramRoleName(match[2]!);
}
