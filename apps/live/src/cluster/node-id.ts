/**
 * This live node's identity in Redis (room claims, heartbeat, open attendance
 * intervals). It must survive a restart so the restarted process reclaims its
 * rooms and adopts its open intervals at once: LIVE_NODE_ID if set, else
 * host name + listening port (stable across restarts, distinct for two nodes
 * on one host). Never the pid.
 */
import { hostname } from 'node:os';
import type { ConfigService } from '@nestjs/config';
import type { LiveAppEnv } from '../config/live-config';

export function resolveNodeId(config: ConfigService<LiveAppEnv, true>): string {
  return config.get('LIVE_NODE_ID', { infer: true }) ?? `${hostname()}:${config.get('LIVE_PORT', { infer: true })}`;
}
