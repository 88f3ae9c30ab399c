import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES } from '../queues';

export const RECORDING_JOBS = {
  /** Compose the MP4 variants of one stopped recording from its spooled tracks. */
  compose: 'compose-recording',
} as const;

export interface ComposeRecordingJob {
  recordingId: string;
}

/** One compose job per recording: a stop delivered twice enqueues once. */
export function composeJobId(recordingId: string): string {
  return `compose-${recordingId}`;
}

@Injectable()
export class RecordingProducer {
  constructor(@InjectQueue(QUEUES.recordings) private readonly queue: Queue<ComposeRecordingJob>) {}

  async compose(recordingId: string): Promise<void> {
    await this.queue.add(
      RECORDING_JOBS.compose,
      { recordingId },
      // Composing is CPU heavy: fewer, slower retries than the default, failures kept with their reason.
      { jobId: composeJobId(recordingId), attempts: 3, backoff: { type: 'exponential', delay: 10_000 } },
    );
  }
}
