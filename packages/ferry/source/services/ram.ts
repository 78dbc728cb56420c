import type {ServiceDescriptor} from './descriptor.js';

/** Resource Access Management (2015-05-01): users, AccessKeys, roles, policies and their attachments. */
export const ram: ServiceDescriptor = {
	name: 'ram',
	title: 'Resource Access Management (RAM)',
	vendor: 'alibaba',
	endpointKey: 'ram',
	// RAM is a central service: one endpoint for every region.
	defaultEndpoint: () => 'https://ram.aliyuncs.com',
};

/** Security Token Service (2015-04-01): who am I, and temporary keys for a RAM role. */
export const alibabaSts: ServiceDescriptor = {
	name: 'alibaba-sts',
	title: 'Alibaba Cloud Security Token Service (STS)',
	vendor: 'alibaba',
	endpointKey: 'sts',
	defaultEndpoint: region => `https://sts.${region}.aliyuncs.com`,
};
