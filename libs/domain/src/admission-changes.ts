/**
 * Who may enter a live room changed: the API publishes on this Redis pub/sub
 * channel (channels are not under ioredis' key prefix, so it is named with
 * REDIS_PREFIX itself) after every enrolment status write and every block or
 * unblock of an account; each live node drops what it cached about that course
 * or about blocked accounts, so the next join reads the database again.
 */
export const admissionChannel = (redisPrefix: string) => `${redisPrefix}:admission-changed`;

export type AdmissionChange = { courseId: string } | { userId: string };
