/**
 * Why the server closed a producer itself, so the `producer:closed` notice
 * says it (a producer closed without a reason here was closed by its owner).
 * One place for the media service (moderation) and the room registry (media
 * rebuilt after a worker death).
 */
import type { types } from 'mediasoup';
import type { ProducerClosedReason } from '@balai/live-contract';

const reasons = new WeakMap<types.Producer, ProducerClosedReason>();

export function closeProducerFor(producer: types.Producer, reason: ProducerClosedReason): void {
  reasons.set(producer, reason);
  producer.close();
}

export function closeReasonOf(producer: types.Producer): ProducerClosedReason {
  return reasons.get(producer) ?? 'owner';
}
