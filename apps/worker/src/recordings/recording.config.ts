/** Recording settings of the worker (merged into its environment schema in worker.module.ts). */
import { z } from 'zod';
import { env } from '@balai/config';

export const recordingWorkerEnvShape = {
  /** The live nodes' spool directory (a shared volume): raw tracks and their manifest per recording. */
  RECORDING_SPOOL_DIR: z.string().min(1).default('/tmp/balai-recordings'),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  /** Threads per composing job (x264): composing is CPU heavy and shares the machine. */
  RECORDING_COMPOSE_THREADS: env.int(2, 1, 32),
  /** Days a composed recording is kept (0 = for ever); sets its expiresAt. */
  RECORDING_RETENTION_DAYS: env.int(365, 0, 36_500),
};
export const recordingWorkerEnvSchema = z.object(recordingWorkerEnvShape);
export type RecordingWorkerEnv = z.infer<typeof recordingWorkerEnvSchema>;
