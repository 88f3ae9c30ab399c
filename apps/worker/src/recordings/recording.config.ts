/** Recording settings of the worker (merged into its environment schema in worker.module.ts). */
import { z } from 'zod';
import { env } from '@balai/config';
import { recordingStorageEnvShape } from '@balai/queue';

export const recordingWorkerEnvShape = {
  /** The live nodes' spool directory (a shared volume): raw tracks and their manifest per recording. */
  RECORDING_SPOOL_DIR: z.string().min(1).default('/tmp/balai-recordings'),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  /** Threads per composing job (x264): composing is CPU heavy and shares the machine. */
  RECORDING_COMPOSE_THREADS: env.int(2, 1, 32),
  /** Days a composed recording is kept (0 = for ever); sets its expiresAt. */
  RECORDING_RETENTION_DAYS: env.int(365, 0, 36_500),
  /** How often expired recordings are deleted and recordings of dead live nodes are closed. */
  RECORDING_SWEEP_MS: env.int(60_000, 1000, 86_400_000),
  /** A `recording` whose live node has not written its heartbeat for this long is closed by the sweep. */
  RECORDING_STALE_MS: env.int(60_000, 10_000, 86_400_000),
  ...recordingStorageEnvShape,
};
export const recordingWorkerEnvSchema = z.object(recordingWorkerEnvShape);
export type RecordingWorkerEnv = z.infer<typeof recordingWorkerEnvSchema>;
