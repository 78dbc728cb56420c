/** Every cloud service ferry knows, in the order the local cloud starts their stand-ins. */
import {datahub} from './datahub.js';
import {dataworks} from './dataworks.js';
import {logService} from './log-service.js';
import type {ServiceDescriptor} from './descriptor.js';
import {awsSts, iam} from './iam.js';
import {maxcompute} from './maxcompute.js';
import {oss, s3} from './object-stores.js';
import {onlineMigration} from './online-migration.js';
import {alibabaSts, ram} from './ram.js';
import {redshift, redshiftManagement} from './redshift.js';

export const services: readonly ServiceDescriptor[] = [s3, oss, redshift, redshiftManagement, iam, awsSts, ram, alibabaSts, onlineMigration, maxcompute, datahub, logService, dataworks];

export function serviceNamed(name: string): ServiceDescriptor | undefined {
	return services.find(service => service.name === name);
}
