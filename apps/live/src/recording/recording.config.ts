/**
 * Recording settings of the live service (part of its environment schema, see
 * config/live-config.ts).
 */
import { z } from 'zod';
import { env } from '@balai/config';

export const recordingLiveEnvShape = {
  /** Where raw tracks are written while recording; the worker composes from the same directory (a shared volume). */
  RECORDING_SPOOL_DIR: z.string().min(1).default('/tmp/balai-recordings'),
  /** The ffmpeg binary (Debian's package). Missing -> the record button is disabled with the reason. */
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  /** Below this much free space in the spool directory a recording stops (and does not start). */
  RECORDING_MIN_FREE_MB: env.int(200, 0, 10_000_000),
  /** How often the free space is checked while recording. */
  RECORDING_DISK_CHECK_MS: env.int(5000, 100, 600_000),
};
