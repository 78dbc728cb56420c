/**
 * What ferry reaches in this package, through one lazy import (ferry/local/local-cloud-package): starting,
 * stopping and resetting the daemon, and the pieces of `ferry local-cloud` that only the local cloud knows (which
 * stand-ins and doors exist, the --faults and --scale grammars, the environment its clients need).
 */
export {startLocalCloud, stopLocalCloud, resetLocalCloud, serviceHealth, setDaemonCommandForTests, type DaemonOptions, type StartLocalCloudOptions} from './manager.js';
export {loadLocalCredentials} from './local-credentials.js';
export {FaultSpecError, formatFaultRules, parseFaultSpec} from './faults.js';
export {tpchScale} from './tpch/scale.js';
export {localhostProxyPortName} from './localhost-proxy.js';
export {awsProfileFiles, environmentShells, formatEnvironment, localCloudEnvironment, type EnvironmentShell} from './shell-env.js';
import {localhostProxyPortName} from './localhost-proxy.js';
import {standIns} from './registry.js';

/** The services with a stand-in, which `--faults` may name. */
export const standInNames: readonly string[] = standIns.map(standIn => standIn.name);

/** What `--ports` may name: every stand-in, its other doors and the `*.localhost` proxy. */
export const portNames: readonly string[] = [...standInNames, ...standIns.flatMap(standIn => standIn.doors ?? []), localhostProxyPortName];
