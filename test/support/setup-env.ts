/**
 * Runs before every test file (jest `setupFiles`). Gives each file its own
 * database and Redis key prefix on the shared local services, so files can run
 * in parallel without seeing each other's data. Services are started by
 * `infra/balai services` (or point MONGODB_URI / REDIS_URL elsewhere).
 */
import { randomBytes } from 'node:crypto';

const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
const baseMongo = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/balai';
const url = new URL(baseMongo);
url.pathname = `/balai_test_${suffix}`;

process.env.NODE_ENV = 'test';
process.env.MONGODB_URI = url.toString();
process.env.REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';
process.env.REDIS_PREFIX = `test_${suffix}`;
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.MEDIASOUP_NUM_WORKERS = process.env.MEDIASOUP_NUM_WORKERS ?? '1';
process.env.API_PORT = '0';
process.env.LIVE_PORT = '0';
process.env.WORKER_HEALTH_PORT = '0';
