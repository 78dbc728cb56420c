import type {ServiceDescriptor} from './descriptor.js';

/** AWS IAM: global, signed for us-east-1. */
export const iam: ServiceDescriptor = {
	name: 'iam',
	title: 'AWS IAM',
	vendor: 'aws',
	endpointKey: 'iam',
	defaultEndpoint: () => 'https://iam.amazonaws.com',
};

/** AWS STS: regional endpoints (the global one signs for us-east-1); AssumeRole and GetCallerIdentity. */
export const awsSts: ServiceDescriptor = {
	name: 'aws-sts',
	title: 'AWS STS',
	vendor: 'aws',
	endpointKey: 'sts',
	defaultEndpoint: region => `https://sts.${region}.amazonaws.com`,
};
