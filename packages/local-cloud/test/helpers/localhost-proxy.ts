// The local cloud's own *.localhost forward proxy, started per test file where no daemon runs.
export {startLocalhostProxy, type LocalhostProxy} from '../../source/localhost-proxy.js';
