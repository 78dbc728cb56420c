/**
 * One descriptor per cloud service: what a profile says about it, where it lives by default and how ferry asks it
 * "who am I". Adding a service is adding a descriptor to `./index.ts` (and its stand-in to the local cloud's own
 * registry); nothing else in source/ lists services. Descriptors load their clients lazily, so the registry stays
 * cheap to import for menus and help.
 */
import type {Logger} from '../log/logger.js';
import type {ResolvedProfile} from './profile-endpoints.js';

export type Vendor = 'aws' | 'alibaba';

export type WhoamiContext = {profile: ResolvedProfile; settings: Record<string, string>; log: Logger; signal: AbortSignal};

export type ServiceDescriptor = {
	/** The service's name everywhere: local-cloud status, faults, `profiles test`, endpoints in the state file. */
	name: string;
	title: string;
	vendor: Vendor;
	/** The key of its endpoint in the profile's vendor section (`endpoints.<key>`) and, suffixed `Endpoint`, in `profiles add --set`. */
	endpointKey: string;
	/** The public endpoint in a region, when the service has one that can be derived. */
	defaultEndpoint?(region: string, profile: {accountId?: string}): string;
	/**
	 * Settings this service's whoami needs besides credentials and endpoint (e.g. a project), asked by `profiles test`;
	 * the profile's own settings answer them (the local profile's are those the local cloud publishes).
	 */
	whoamiSettings?: readonly {key: string; help: string}[];
	whoami?(context: WhoamiContext): Promise<string>;
};
