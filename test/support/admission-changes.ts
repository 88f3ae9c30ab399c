/**
 * Test data written straight into the database (not through the API) must say
 * so like the API does, or a live node that cached the course's enrolments
 * would not see it (AdmissionCache in apps/live/src/rooms).
 */
import Redis from 'ioredis';
import { apiEnvSchema, parseEnv } from '@balai/config';
import { AdmissionChange, admissionChannel } from '@balai/domain';

export async function announceAdmissionChange(change: AdmissionChange): Promise<void> {
  const env = parseEnv(apiEnvSchema, process.env);
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.publish(admissionChannel(env.REDIS_PREFIX), JSON.stringify(change));
  } finally {
    redis.disconnect();
  }
}
