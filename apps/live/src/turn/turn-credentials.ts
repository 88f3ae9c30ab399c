/**
 * coturn's shared-secret REST credentials (draft-uberti-behave-turn-rest, the
 * `use-auth-secret` mode): username = "<unix expiry>:<user id>", credential =
 * base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC and refuses
 * the allocation once the expiry has passed.
 */
import { createHmac } from 'node:crypto';

export interface TurnCredential {
  username: string;
  credential: string;
  /** Unix seconds */
  expiresAt: number;
}

export function turnRestCredential(secret: string, userId: string, ttlSeconds: number, nowMs: number): TurnCredential {
  // A colon would shift coturn's split of "expiry:user"; user ids here are ObjectId hex.
  if (userId.includes(':')) throw new Error('a TURN user id must not contain ":"');
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${userId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt };
}
