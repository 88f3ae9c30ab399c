import type { Job } from 'bullmq';

/** Handles one job name. Throw to retry (with backoff); throw `UnrecoverableError` to fail at once. */
export type JobHandler = (job: Job) => Promise<unknown>;

/** A queue's handlers by job name; checked against the queue's contract at start-up. */
export type JobHandlers = Record<string, JobHandler>;
