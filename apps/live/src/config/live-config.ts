/**
 * The live service's environment: the shared `liveEnvSchema` plus the few
 * knobs only this service reads (reconnect grace, chat limits, attendance
 * retry). Validated once at boot by BalaiConfigModule; nothing else reads
 * process.env.
 */
import { z } from 'zod';
import { env, liveEnvSchema } from '@balai/config';
import { recordingLiveEnvShape } from '../recording/recording.config';
import { turnEnvShape } from '../turn/turn.config';

export const liveAppEnvSchema = liveEnvSchema.extend({
  ...turnEnvShape,
  ...recordingLiveEnvShape,
  /** A reconnect within this many seconds continues the same attendance interval. */
  LIVE_RECONNECT_GRACE_SECONDS: env.int(30, 0, 3600),
  /** A transport whose ICE stays disconnected this long (after mediasoup's consent timeout) counts as a drop. */
  LIVE_MEDIA_DROP_SECONDS: env.int(10, 1, 3600),
  /** Chat rate limit: at most COUNT messages per WINDOW_MS per user and session. */
  CHAT_RATE_LIMIT_COUNT: env.int(5, 1, 1000),
  CHAT_RATE_LIMIT_WINDOW_MS: env.int(10_000, 100, 3_600_000),
  /** Backoff between attempts to deliver attendance events to the API. */
  ATTENDANCE_RETRY_MS: env.int(1000, 10, 60_000),
  /**
   * This node's heartbeat lease in Redis (beats at a third of it). A node silent
   * this long is taken as dead: a survivor closes its open attendance intervals.
   */
  LIVE_NODE_LEASE_MS: env.int(6000, 300, 600_000),
  /** Lifetime of this node's claim on a room in Redis; refreshed at a third of it. */
  ROOM_CLAIM_TTL_MS: env.int(30_000, 1000, 3_600_000),
  /** socket.io heartbeat: a silent client is considered disconnected after interval + timeout. */
  SOCKET_PING_INTERVAL_MS: env.int(10_000, 500, 120_000),
  SOCKET_PING_TIMEOUT_MS: env.int(10_000, 500, 120_000),
  /**
   * Consumers one router of a session carries before viewers go to a fan-out
   * router on another worker (router-cascade.ts). 500 is about 250 viewers of a
   * host's camera and microphone: `npm run bench:sfu` measured the single-core
   * knee at 300-320 such viewers (600-640 consumers), and the origin also
   * carries the host's ingress and the pipes, so the default stays below it.
   */
  LIVE_ROUTER_CONSUMER_BUDGET: env.int(500, 2, 100_000),
  /**
   * Media between live nodes (cluster/node-pipes.service.ts): the address this
   * node's PipeTransports listen on, and the one other nodes are told to send
   * to (a LAN address when the nodes are on different hosts).
   */
  LIVE_PIPE_LISTEN_IP: z.string().ip({ message: 'expected an IP address' }).default('127.0.0.1'),
  LIVE_PIPE_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
  /**
   * The address browsers reach this very node at (ws/http), published with its
   * load for placement (cluster/placement.service.ts: GET /placement). Unset:
   * http://127.0.0.1:<listening port> (one host, tests).
   */
  LIVE_NODE_URL: env.url(['http', 'https']).optional(),
  /** Opus average bitrate cap offered to publishers (bits/s): keeps audio-only under 50 kbit/s on the wire. */
  LIVE_OPUS_MAX_AVERAGE_BITRATE: env.int(20_000, 6_000, 510_000),
});

export type LiveAppEnv = z.infer<typeof liveAppEnvSchema>;
