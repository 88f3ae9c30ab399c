/**
 * Imported first by the live fault tests: the live service runs as its own
 * process on a port fixed per test process, and the API (whose config is read
 * when its module is imported) must tell browsers that address.
 */
import './env';

export const LIVE_TEST_PORT = 30000 + (process.pid % 9000);
process.env.LIVE_PUBLIC_URL = `http://127.0.0.1:${LIVE_TEST_PORT}`;
