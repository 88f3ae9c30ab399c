/**
 * Active jobs whose worker is gone. BullMQ on its own notices a dead worker only
 * when the job's lock expires (lockDuration) and a stalled check runs after that,
 * so a batch cut by a killed worker sat "active" for a minute. Every Balai worker
 * names itself (the BullMQ Worker `name`): the name is stored on each job it takes
 * (`processedBy`) and is the Redis client name of its connection, which Redis drops
 * the moment the process dies. An active job whose worker name has no connection is
 * orphaned. The worker hands such jobs back at once; the API shows them as stalled.
 * Reads only: never moves a job itself.
 */
import type { Job, Queue } from 'bullmq';

/** Names of the workers of `queue` that are connected to Redis right now. */
export async function connectedWorkerNames(queue: Queue): Promise<Set<string>> {
  const names = new Set<string>();
  for (const client of await queue.getWorkers()) {
    // getWorkers() replaces `name` with the queue's name; `rawname` is "<prefix>:<queue>:w:<worker name>".
    const raw = client.rawname ?? '';
    const at = raw.indexOf(':w:');
    if (at >= 0) names.add(raw.slice(at + 3));
  }
  return names;
}

/** True when the worker that took this active job is not connected. Jobs of unnamed workers are never judged. */
export function isOrphaned(job: Pick<Job, 'processedBy'>, connected: ReadonlySet<string>): boolean {
  return !!job.processedBy && !connected.has(job.processedBy);
}
