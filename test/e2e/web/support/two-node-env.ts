/**
 * Imported first by the two-node web test: node A's port is fixed per test
 * process, and the API (whose config is read when its module is imported) tells
 * browsers that address, as a deployment names one live address.
 */
import './env';

export const NODE_A_PORT = 21000 + (process.pid % 8000);
process.env.LIVE_PUBLIC_URL = `http://127.0.0.1:${NODE_A_PORT}`;
