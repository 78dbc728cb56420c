// The local cloud's own *.localhost forward proxy, started per test file where no daemon runs.
export {startLocalhostProxy, type LocalhostProxy} from '../../source/local-cloud/localhost-proxy.js';
