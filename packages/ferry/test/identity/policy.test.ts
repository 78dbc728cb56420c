/**
 * The policy evaluator against the examples of AWS's IAM User Guide (policy evaluation logic, Resource wildcards,
 * NotAction, NotResource, condition operators, policy variables, principals) and Alibaba Cloud's RAM trust policy forms.
 */
import test from 'ava';
import {evaluatePolicies, parsePolicy, PolicyDocumentError, type AuthorizationRequest, type PolicyKind, type PolicyProblem, type SourcedPolicy} from '../../source/identity/policy.js';

const identity = (document: unknown, id = 'policy'): SourcedPolicy => ({id, policy: parsePolicy(JSON.stringify(document, undefined, 4), {dialect: 'aws', kind: 'identity'})});
const decide = (policies: SourcedPolicy[], request: AuthorizationRequest) => evaluatePolicies(policies, request).decision;

// "Example identity-based and resource-based policy evaluation" (reference_policies_evaluation-logic).
const carlosUserPolicy = identity({
	Version: '2012-10-17',
	Statement: [
		{Sid: 'AllowS3ListRead', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'], Resource: 'arn:aws:s3:::*'},
		{Sid: 'AllowS3Self', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar']},
		{Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*'},
	],
}, 'carlossalazar-policy');
const carlosBucketPolicy: SourcedPolicy = {id: 'bucket', type: 'resource', policy: parsePolicy(JSON.stringify({
	Version: '2012-10-17',
	Statement: [{Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::123456789012:user/carlossalazar'}, Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar']}],
}), {dialect: 'aws', kind: 'resource'})};
const carlos = {type: 'AWS' as const, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/carlossalazar'};

test('the guide\'s Carlos example: the logs bucket is denied explicitly, his own bucket allowed by both policies', t => {
	const denied = evaluatePolicies([carlosUserPolicy, carlosBucketPolicy], {action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar-logs/file.txt', principal: carlos});
	t.is(denied.decision, 'explicitDeny');
	t.deepEqual(denied.matched.map(match => match.statement.sid), ['DenyS3Logs']);
	const allowed = evaluatePolicies([carlosUserPolicy, carlosBucketPolicy], {action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/file.txt', principal: carlos});
	t.is(allowed.decision, 'allowed');
	t.deepEqual(allowed.matched.map(match => [match.policyId, match.statement.sid]), [['carlossalazar-policy', 'AllowS3Self'], ['bucket', undefined]]);
	// Either policy alone allows it (same account).
	t.is(decide([carlosBucketPolicy], {action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/file.txt', principal: carlos}), 'allowed');
	t.is(decide([carlosBucketPolicy], {action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/file.txt', principal: {...carlos, arn: 'arn:aws:iam::123456789012:user/someone'}}), 'implicitDeny');
});

test('the guide\'s allowed, implicitly denied and explicitly denied example (AllowGetList, DenyReports)', t => {
	const policy = identity({
		Version: '2012-10-17',
		Statement: [
			{Sid: 'AllowGetList', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*'},
			{Sid: 'DenyReports', Effect: 'Deny', Action: 'iam:*Report', Resource: '*'},
		],
	});
	t.is(decide([policy], {action: 'iam:GetUser', resource: 'arn:aws:iam::123456789012:user/bob'}), 'allowed');
	t.is(decide([policy], {action: 'iam:ListRoles', resource: '*'}), 'allowed');
	t.is(decide([policy], {action: 'iam:CreatePolicy', resource: '*'}), 'implicitDeny');
	t.is(decide([policy], {action: 'iam:GetOrganizationsAccessReport', resource: '*'}), 'explicitDeny');
	// Another policy granting the report does not override the deny.
	t.is(decide([policy, identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 'iam:GenerateCredentialReport', Resource: '*'}})], {action: 'iam:GenerateCredentialReport', resource: '*'}), 'explicitDeny');
	t.is(decide([], {action: 'iam:GetUser', resource: '*'}), 'implicitDeny');
});

test('actions match case-insensitively, resources case-sensitively', t => {
	const policy = identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 'IAM:listaccesskeys', Resource: 'arn:aws:iam::123456789012:user/Bob'}});
	t.is(decide([policy], {action: 'iam:ListAccessKeys', resource: 'arn:aws:iam::123456789012:user/Bob'}), 'allowed');
	t.is(decide([policy], {action: 'iam:ListAccessKeys', resource: 'arn:aws:iam::123456789012:user/bob'}), 'implicitDeny');
	t.is(decide([identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: '*'}})], {action: 'iam:UpdateAccessKey', resource: '*'}), 'allowed');
	t.is(decide([identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 's3:Get?bject', Resource: '*'}})], {action: 's3:GetObject', resource: '*'}), 'allowed');
});

test('the guide\'s resource wildcard example: DOC-EXAMPLE-BUCKET/*/test/*', t => {
	const policy = identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*'}});
	const matching = ['1/test/object.jpg', '1/2/test/object.jpg', '1/2/test/3/object.jpg', '1/2/3/test/4/object.jpg', '1///test///object.jpg', '1/test/.jpg', '/test/object.jpg', '1/test/'];
	const notMatching = ['1-test/object.jpg', 'test/object.jpg', '1/2/test.jpg'];
	for (const key of matching) {
		t.is(decide([policy], {action: 's3:GetObject', resource: `arn:aws:s3:::DOC-EXAMPLE-BUCKET/${key}`}), 'allowed', key);
	}

	for (const key of notMatching) {
		t.is(decide([policy], {action: 's3:GetObject', resource: `arn:aws:s3:::DOC-EXAMPLE-BUCKET/${key}`}), 'implicitDeny', key);
	}
});

test('a wildcard stays within its ARN segment unless it ends the segment', t => {
	const inside = identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:us-*-2:123456789012:queue?'}});
	t.is(decide([inside], {action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-2:123456789012:queue1'}), 'allowed');
	t.is(decide([inside], {action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east:x-2:123456789012:queue1'}), 'implicitDeny');
	const trailing = identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 'iam:GetRole', Resource: 'arn:aws:iam::*'}});
	t.is(decide([trailing], {action: 'iam:GetRole', resource: 'arn:aws:iam::123456789012:role/x'}), 'allowed');
	t.is(decide([identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: '*', Resource: '*'}})], {action: 'ec2:RunInstances', resource: 'arn:aws:ec2:us-east-1:1:instance/i-1'}), 'allowed');
});

test('the guide\'s NotAction examples: everything in S3 but DeleteBucket; a Deny of everything but IAM without MFA', t => {
	const policy = identity({Version: '2012-10-17', Statement: {Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::*'}});
	t.is(decide([policy], {action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key'}), 'allowed');
	t.is(decide([policy], {action: 's3:DeleteBucket', resource: 'arn:aws:s3:::bucket'}), 'implicitDeny');
	// ListAllMyBuckets needs the "*" resource, and other services' resources are not S3's.
	t.is(decide([policy], {action: 's3:ListAllMyBuckets', resource: '*'}), 'implicitDeny');
	t.is(decide([policy], {action: 'ec2:RunInstances', resource: 'arn:aws:ec2:us-east-1:123456789012:instance/*'}), 'implicitDeny');

	const allowAll = identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: '*', Resource: '*'}});
	const mfa = identity({Version: '2012-10-17', Statement: [{Sid: 'DenyAllUsersNotUsingMFA', Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: {BoolIfExists: {'aws:MultiFactorAuthPresent': 'false'}}}]});
	t.is(decide([allowAll, mfa], {action: 's3:GetObject', resource: '*', context: {'aws:MultiFactorAuthPresent': 'false'}}), 'explicitDeny');
	t.is(decide([allowAll, mfa], {action: 's3:GetObject', resource: '*'}), 'explicitDeny', 'no key: IfExists holds');
	t.is(decide([allowAll, mfa], {action: 's3:GetObject', resource: '*', context: {'aws:MultiFactorAuthPresent': 'true'}}), 'allowed');
	t.is(decide([allowAll, mfa], {action: 'iam:ChangePassword', resource: '*', context: {'aws:MultiFactorAuthPresent': 'false'}}), 'allowed');
});

test('the guide\'s NotResource example: HRPayroll may reach only its folder', t => {
	const allowAll = identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 's3:*', Resource: '*'}});
	const hr = identity({Version: '2012-10-17', Statement: {Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*']}});
	t.is(decide([allowAll, hr], {action: 's3:GetObject', resource: 'arn:aws:s3:::HRBucket/Payroll/2024.csv'}), 'allowed');
	t.is(decide([allowAll, hr], {action: 's3:GetObject', resource: 'arn:aws:s3:::HRBucket/Other/file'}), 'explicitDeny');
	t.is(decide([hr], {action: 's3:GetObject', resource: 'arn:aws:s3:::HRBucket/Payroll/2024.csv'}), 'implicitDeny', 'the Deny grants nothing');
});

test('policy variables: the guide\'s home-directory example, only under Version 2012-10-17', t => {
	const policy = identity({
		Version: '2012-10-17',
		Statement: [
			{Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::BUCKET-NAME', Condition: {StringLike: {'s3:prefix': ['', 'home/', 'home/${aws:username}/']}}},
			{Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::BUCKET-NAME/home/${aws:username}', 'arn:aws:s3:::BUCKET-NAME/home/${aws:username}/*']},
		],
	});
	const asBob = {'aws:username': 'bob'};
	t.is(decide([policy], {action: 's3:PutObject', resource: 'arn:aws:s3:::BUCKET-NAME/home/bob/notes.txt', context: asBob}), 'allowed');
	t.is(decide([policy], {action: 's3:PutObject', resource: 'arn:aws:s3:::BUCKET-NAME/home/alice/notes.txt', context: asBob}), 'implicitDeny');
	t.is(decide([policy], {action: 's3:ListBucket', resource: 'arn:aws:s3:::BUCKET-NAME', context: {...asBob, 's3:prefix': 'home/bob/'}}), 'allowed');
	t.is(decide([policy], {action: 's3:ListBucket', resource: 'arn:aws:s3:::BUCKET-NAME', context: {...asBob, 's3:prefix': 'home/alice/'}}), 'implicitDeny');
	t.is(decide([policy], {action: 's3:PutObject', resource: 'arn:aws:s3:::BUCKET-NAME/home/bob/notes.txt'}), 'implicitDeny', 'no value: no match');
	const legacy = identity({Version: '2008-10-17', Statement: {Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::BUCKET-NAME/home/${aws:username}/*'}});
	t.is(decide([legacy], {action: 's3:PutObject', resource: 'arn:aws:s3:::BUCKET-NAME/home/bob/notes.txt', context: asBob}), 'implicitDeny');
	t.is(decide([legacy], {action: 's3:PutObject', resource: 'arn:aws:s3:::BUCKET-NAME/home/${aws:username}/notes.txt', context: asBob}), 'allowed', 'a literal string under 2008-10-17');
	const defaults = identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:PrincipalTag/team, \'company-wide\'}/${*}'}});
	t.is(decide([defaults], {action: 's3:GetObject', resource: 'arn:aws:s3:::b/company-wide/*'}), 'allowed');
	t.is(decide([defaults], {action: 's3:GetObject', resource: 'arn:aws:s3:::b/company-wide/x'}), 'implicitDeny', '${*} is a literal asterisk');
});

test('condition operators: missing keys, negation, IfExists, Null, numbers, dates, IP addresses, ARNs and the set qualifiers', t => {
	const allowIf = (condition: Record<string, unknown>) => identity({Version: '2012-10-17', Statement: {Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: condition}});
	const check = (condition: Record<string, unknown>, context: AuthorizationRequest['context']) => decide([allowIf(condition)], {action: 's3:ListBucket', resource: '*', ...(context ? {context} : {})});
	t.is(check({StringEquals: {'aws:PrincipalTag/job-category': 'iamuser-admin'}}, undefined), 'implicitDeny', 'a missing key fails a positive operator');
	t.is(check({StringNotLike: {'aws:PrincipalTag/job-category': 'x*'}}, undefined), 'allowed', 'and passes a negated one');
	t.is(check({StringEquals: {'AWS:PRINCIPALTAG/Job-Category': 'iamuser-admin'}}, {'aws:PrincipalTag/job-category': 'iamuser-admin'}), 'allowed', 'keys are case-insensitive');
	t.is(check({StringEquals: {'aws:PrincipalTag/job-category': 'iamuser-admin'}}, {'aws:PrincipalTag/job-category': 'IAMUSER-ADMIN'}), 'implicitDeny', 'values are not');
	t.is(check({StringEqualsIgnoreCase: {'aws:PrincipalTag/job-category': 'iamuser-admin'}}, {'aws:PrincipalTag/job-category': 'IAMUSER-ADMIN'}), 'allowed');
	t.is(check({StringNotEquals: {'s3:prefix': ['a', 'b']}}, {'s3:prefix': 'b'}), 'implicitDeny');
	t.is(check({StringNotEquals: {'s3:prefix': ['a', 'b']}}, {'s3:prefix': 'c'}), 'allowed');
	t.is(check({StringLikeIfExists: {'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*']}}, undefined), 'allowed');
	t.is(check({StringLikeIfExists: {'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*']}}, {'ec2:InstanceType': 'c5.large'}), 'implicitDeny');
	t.is(check({Null: {'aws:TokenIssueTime': 'true'}}, undefined), 'allowed');
	t.is(check({Null: {'aws:TokenIssueTime': 'false'}}, undefined), 'implicitDeny');
	t.is(check({NumericLessThanEquals: {'s3:max-keys': '10'}}, {'s3:max-keys': '10'}), 'allowed');
	t.is(check({NumericLessThanEquals: {'s3:max-keys': '10'}}, {'s3:max-keys': '11'}), 'implicitDeny');
	t.is(check({DateGreaterThan: {'aws:TokenIssueTime': '2020-01-01T00:00:01Z'}}, {'aws:TokenIssueTime': '2021-06-01T00:00:00Z'}), 'allowed');
	t.is(check({DateLessThan: {'aws:CurrentTime': '2020-01-01T00:00:00Z'}}, {'aws:CurrentTime': '2021-06-01T00:00:00Z'}), 'implicitDeny');
	t.is(check({IpAddress: {'aws:SourceIp': '203.0.113.0/24'}}, {'aws:SourceIp': '203.0.113.7'}), 'allowed');
	t.is(check({NotIpAddress: {'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24']}}, {'aws:SourceIp': '198.51.100.9'}), 'implicitDeny');
	t.is(check({ArnLike: {'aws:SourceArn': 'arn:aws:sns:*:123456789012:*'}}, {'aws:SourceArn': 'arn:aws:sns:us-east-2:123456789012:topic'}), 'allowed');
	t.is(check({ArnEquals: {'aws:SourceArn': 'arn:aws:sns:us-east-2:123456789012:topic'}}, {'aws:SourceArn': 'arn:aws:sns:us-east-2:123456789012:other'}), 'implicitDeny');
	t.is(check({Bool: {'aws:SecureTransport': 'true'}}, {'aws:SecureTransport': 'true'}), 'allowed');
	t.is(check({Bool: {'aws:SecureTransport': true}}, {'aws:SecureTransport': 'false'}), 'implicitDeny');
	// Several keys, and several operators, must all hold.
	t.is(check({StringEquals: {'s3:prefix': 'a', 's3:delimiter': '/'}}, {'s3:prefix': 'a'}), 'implicitDeny');
	t.is(check({StringEquals: {'s3:prefix': 'a'}, Bool: {'aws:SecureTransport': 'true'}}, {'s3:prefix': 'a', 'aws:SecureTransport': 'true'}), 'allowed');
	// Multivalued keys (the guide's dynamodb:Attributes examples).
	const attributes = ['ID', 'Message', 'Tags'];
	t.is(check({'ForAllValues:StringEquals': {'dynamodb:Attributes': attributes}}, {'dynamodb:Attributes': ['ID', 'Message']}), 'allowed');
	t.is(check({'ForAllValues:StringEquals': {'dynamodb:Attributes': attributes}}, {'dynamodb:Attributes': ['ID', 'Secret']}), 'implicitDeny');
	t.is(check({'ForAllValues:StringEquals': {'dynamodb:Attributes': attributes}}, undefined), 'allowed', 'ForAllValues holds for no values');
	t.is(check({'ForAnyValue:StringEquals': {'dynamodb:Attributes': ['Secret']}}, {'dynamodb:Attributes': ['ID', 'Secret']}), 'allowed');
	t.is(check({'ForAnyValue:StringEquals': {'dynamodb:Attributes': ['Secret']}}, undefined), 'implicitDeny');
});

const trust = (document: unknown, dialect: 'aws' | 'alibaba' = 'aws', kind: PolicyKind = 'trust'): SourcedPolicy => ({id: 'trust', policy: parsePolicy(JSON.stringify(document), {dialect, kind})});

test('trust policies: a service principal, a named identity, and an account that delegates to its own policies', t => {
	const redshift = trust({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'redshift.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
	const assume = (policy: SourcedPolicy, principal: AuthorizationRequest['principal']) => evaluatePolicies([policy], {action: 'sts:AssumeRole', resource: 'arn:aws:iam::123456789012:role/unload', ...(principal ? {principal} : {})});
	t.is(assume(redshift, {type: 'Service', name: 'redshift.amazonaws.com'}).decision, 'allowed');
	t.is(assume(redshift, {type: 'Service', name: 'glue.amazonaws.com'}).decision, 'implicitDeny');
	t.is(assume(redshift, {type: 'AWS', account: '123456789012', arn: 'arn:aws:iam::123456789012:user/bob'}).decision, 'implicitDeny');
	t.is(assume(redshift, undefined).decision, 'implicitDeny');

	const account = trust({Version: '2012-10-17', Statement: {Effect: 'Allow', Principal: {AWS: ['123456789012', 'arn:aws:iam::555555555555:root']}, Action: 'sts:AssumeRole'}});
	const bob = assume(account, {type: 'AWS', account: '123456789012', arn: 'arn:aws:iam::123456789012:user/bob'});
	t.is(bob.decision, 'allowed');
	t.is(bob.matched[0]?.principalMatch, 'account');
	t.is(assume(account, {type: 'AWS', account: '555555555555', arn: 'arn:aws:iam::555555555555:root'}).matched[0]?.principalMatch, 'principal');
	t.is(assume(account, {type: 'AWS', account: '999999999999', arn: 'arn:aws:iam::999999999999:user/eve'}).decision, 'implicitDeny');

	const named = trust({Version: '2012-10-17', Statement: {Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::123456789012:role/ferry'}, Action: 'sts:AssumeRole'}});
	const session = assume(named, {type: 'AWS', account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/ferry/s1', alsoKnownAs: ['arn:aws:iam::123456789012:role/ferry']});
	t.is(session.matched[0]?.principalMatch, 'principal');
	t.is(assume(trust({Version: '2012-10-17', Statement: {Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole'}}), {type: 'Service', name: 'x.amazonaws.com'}).decision, 'allowed');
	const deny = trust({Version: '2012-10-17', Statement: [
		{Effect: 'Allow', Principal: {AWS: '123456789012'}, Action: 'sts:AssumeRole'},
		{Effect: 'Deny', NotPrincipal: {AWS: 'arn:aws:iam::123456789012:user/alice'}, Action: 'sts:AssumeRole'},
	]});
	t.is(assume(deny, {type: 'AWS', account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice'}).decision, 'allowed');
	t.is(assume(deny, {type: 'AWS', account: '123456789012', arn: 'arn:aws:iam::123456789012:user/bob'}).decision, 'explicitDeny');
});

test('Alibaba Cloud trust policies: MaxCompute as a service, an account\'s root, and RAM\'s Version "1"', t => {
	const odps = trust({Statement: [{Action: 'sts:AssumeRole', Effect: 'Allow', Principal: {Service: ['odps.aliyuncs.com']}}], Version: '1'}, 'alibaba');
	t.is(decide([odps], {action: 'sts:AssumeRole', resource: 'acs:ram::1000000000000000:role/aliyunodpsdefaultrole', principal: {type: 'Service', name: 'odps.aliyuncs.com'}}), 'allowed');
	t.is(decide([odps], {action: 'sts:AssumeRole', resource: 'acs:ram::1000000000000000:role/aliyunodpsdefaultrole', principal: {type: 'Service', name: 'oss.aliyuncs.com'}}), 'implicitDeny');
	const root = trust({Statement: [{Action: 'sts:AssumeRole', Effect: 'Allow', Principal: {RAM: ['acs:ram::1000000000000000:root']}}], Version: '1'}, 'alibaba');
	const user = evaluatePolicies([root], {action: 'sts:AssumeRole', resource: '*', principal: {type: 'RAM', account: '1000000000000000', arn: 'acs:ram::1000000000000000:user/ferry'}});
	t.is(user.matched[0]?.principalMatch, 'account');
	const oss = {id: 'oss', policy: parsePolicy(JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: ['oss:GetObject', 'oss:ListObjects'], Resource: ['acs:oss:*:*:landing', 'acs:oss:*:*:landing/*']}]}), {dialect: 'alibaba', kind: 'identity'})};
	t.is(decide([oss], {action: 'oss:getobject', resource: 'acs:oss:*:1000000000000000:landing/unload/part-0.parquet'}), 'allowed');
	t.is(decide([oss], {action: 'oss:PutObject', resource: 'acs:oss:*:1000000000000000:landing/unload/part-0.parquet'}), 'implicitDeny');
	t.throws(() => parsePolicy(JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'oss:*', Resource: '*'}]}), {dialect: 'alibaba', kind: 'identity'}), {instanceOf: PolicyDocumentError});
	t.throws(() => parsePolicy(JSON.stringify({Version: '1', Statement: [{Effect: 'Allow', Action: 'sts:AssumeRole', Principal: {AWS: '1'}}]}), {dialect: 'alibaba', kind: 'trust'}), {message: /Invalid principal in policy/});
});

test('documents IAM refuses, with IAM\'s MalformedPolicyDocument texts', t => {
	const refuse = (document: unknown, kind: PolicyKind, message: string, problem: PolicyProblem) => {
		const text = typeof document === 'string' ? document : JSON.stringify(document);
		const error = t.throws(() => parsePolicy(text, {dialect: 'aws', kind}), {instanceOf: PolicyDocumentError});
		t.is(error?.message, message);
		t.is(error?.problem, problem);
	};

	const statement = {Effect: 'Allow', Action: 's3:GetObject', Resource: '*'};
	refuse('{"Version": "2012-10-17", "Statement": [', 'identity', 'Syntax errors in policy.', 'syntax');
	refuse({Version: '2012-10-17', Statement: []}, 'identity', 'Syntax errors in policy.', 'syntax');
	refuse({Version: '2012-10-17', Statement: [{...statement, Extra: 1}]}, 'identity', 'Syntax errors in policy.', 'syntax');
	refuse({Version: '2012-10-18', Statement: [statement]}, 'identity', 'The policy failed legacy parsing', 'version');
	refuse({Version: '2012-10-17', Statement: [{...statement, Principal: {AWS: '*'}}]}, 'identity', 'Policy document should not specify a principal.', 'principal-not-allowed');
	refuse({Version: '2012-10-17', Statement: [{Effect: 'Allow', Resource: '*'}]}, 'identity', 'Policy statement must contain actions.', 'actions-missing');
	refuse({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject'}]}, 'identity', 'Policy statement must contain resources.', 'resources-missing');
	refuse({Version: '2012-10-17', Statement: [{...statement, Action: 'GetObject'}]}, 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.', 'action-format');
	refuse({Version: '2012-10-17', Statement: [{...statement, Action: 's3:Get:Object'}]}, 'identity', 'Actions/Condition can contain only one colon.', 'action-format');
	refuse({Version: '2012-10-17', Statement: [{...statement, Resource: 'my-bucket'}]}, 'identity', 'Resource my-bucket must be in ARN format or "*".', 'resource-format');
	refuse({Version: '2012-10-17', Statement: [{...statement, Condition: {StringEqualz: {'s3:prefix': 'a'}}}]}, 'identity', 'Syntax errors in policy.', 'syntax');
	refuse({Version: '2012-10-17', Statement: [{...statement, Condition: {'s3:prefix': 'a'}}]}, 'identity', 'Syntax errors in policy.', 'syntax');
	refuse({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'redshift.amazonaws.com'}, Action: 'sts:AssumeRole', Resource: '*'}]}, 'trust', 'Has prohibited field Resource.', 'resource-not-allowed');
	refuse({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'sts:AssumeRole'}]}, 'trust', 'Missing required field Principal.', 'principal-missing');
	refuse({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'redshift.amazonaws.com'}, Action: 's3:GetObject'}]}, 'trust', 'AssumeRole policy may only specify STS AssumeRole actions.', 'trust-action');
	refuse({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Users: 'x'}, Action: 'sts:AssumeRole'}]}, 'trust', 'Invalid principal in policy: "Users":"x"', 'principal-invalid');
});

test('statements keep where they stand in the text (1-based), for MatchedStatements', t => {
	const text = '{\n    "Version": "2012-10-17",\n    "Statement": [\n        {\n            "Effect": "Allow",\n            "Action": "s3:*",\n            "Resource": "*"\n        },\n        {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}\n    ]\n}';
	const [first, second] = parsePolicy(text, {dialect: 'aws', kind: 'identity'}).statements;
	t.deepEqual([first?.start, first?.end], [{line: 4, column: 9}, {line: 8, column: 10}]);
	t.deepEqual([second?.start, second?.end], [{line: 9, column: 9}, {line: 9, column: 73}]);
	const single = parsePolicy('{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"},"Version":"2012-10-17"}', {dialect: 'aws', kind: 'identity'});
	t.deepEqual(single.statements[0]?.start, {line: 1, column: 14});
});
