/**
 * The AWS managed policies the local IAM knows, as AWS's Managed Policy Reference gives them today (the documents,
 * default versions and dates of AmazonS3FullAccess and AmazonS3ReadOnlyAccess). Their PolicyIds are AWS's own
 * values and cannot be checked offline, so the local ones are fixed stand-ins of the same shape.
 */
export type AwsManagedPolicy = {
	name: string;
	arn: string;
	id: string;
	path: '/';
	description: string;
	defaultVersion: string;
	createDate: string;
	updateDate: string;
	document: string;
};

export const awsManagedPolicies: readonly AwsManagedPolicy[] = [
	{
		name: 'AmazonS3FullAccess',
		arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
		id: 'ANPAFERRYLOCALS3FULL1',
		path: '/',
		description: 'Provides full access to all buckets via the AWS Management Console.',
		defaultVersion: 'v2',
		createDate: '2015-02-06T18:40:58Z',
		updateDate: '2021-09-27T20:16:37Z',
		document: '{\n  "Version" : "2012-10-17",\n  "Statement" : [\n    {\n      "Effect" : "Allow",\n      "Action" : [\n        "s3:*",\n        "s3-object-lambda:*"\n      ],\n      "Resource" : "*"\n    }\n  ]\n}',
	},
	{
		name: 'AmazonS3ReadOnlyAccess',
		arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
		id: 'ANPAFERRYLOCALS3READ1',
		path: '/',
		description: 'Provides read only access to all buckets via the AWS Management Console.',
		defaultVersion: 'v3',
		createDate: '2015-02-06T18:40:59Z',
		updateDate: '2023-08-10T21:31:39Z',
		document: '{\n  "Version" : "2012-10-17",\n  "Statement" : [\n    {\n      "Effect" : "Allow",\n      "Action" : [\n        "s3:Get*",\n        "s3:List*",\n        "s3:Describe*",\n        "s3-object-lambda:Get*",\n        "s3-object-lambda:List*"\n      ],\n      "Resource" : "*"\n    }\n  ]\n}',
	},
];
