/**
 * Placement across live nodes (issue 14): every node publishes its load to
 * Redis each second (`node-load` hash: node id -> {url, consumers, peers, at});
 * `place()` answers the least-loaded live node (lease in Redis, a fresh
 * report), so a client connects straight to it (websocket transport only: no
 * sticky sessions are needed, every request of a connection goes to the
 * node it opened on). A node that does not own the session serves it as an
 * edge (edge-relay.service.ts). The session's owner is preferred while it is
 * within PLACEMENT_SLACK of the least loaded (no pipe for its viewers).
 * Load = mediasoup consumers on the node + peers in its rooms.
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { RedisClient } from '@balai/common';
import type { LiveAppEnv } from '../config/live-config';
import { WorkerPoolService } from '../media/worker-pool.service';
import { RoomNodeMap } from '../rooms/room-node-map.service';
import { RoomRegistry } from '../rooms/room-registry.service';

const REPORT_MS = 1000;
/** A report older than this is from a node that stopped: not offered. */
const STALE_MS = 5000;
/** The owner of the session is preferred while its load is at most this much above the least loaded. */
export const PLACEMENT_SLACK = 50;

export interface NodeLoad {
  nodeId: string;
  url: string;
  consumers: number;
  peers: number;
  load: number;
  at: number;
}

@Injectable()
export class PlacementService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlacementService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: RedisClient,
    private readonly pool: WorkerPoolService,
    private readonly registry: RoomRegistry,
    private readonly nodeMap: RoomNodeMap,
    private readonly http: HttpAdapterHost,
    private readonly config: ConfigService<LiveAppEnv, true>,
  ) {}

  onApplicationBootstrap(): void {
    void this.report().catch(() => undefined);
    this.timer = setInterval(() => void this.report().catch(() => undefined), REPORT_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.client.hdel('node-load', this.nodeMap.nodeId).catch(() => undefined);
  }

  /** This node's address for clients: LIVE_NODE_URL, else loopback and the port it listens on. */
  private url(): string | undefined {
    const configured = this.config.get('LIVE_NODE_URL', { infer: true });
    if (configured) return configured;
    const server = this.http.httpAdapter?.getHttpServer() as { address(): AddressInfo | string | null } | undefined;
    const address = server?.address();
    return address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : undefined;
  }

  /** This node's load now. */
  current(): Omit<NodeLoad, 'url' | 'at'> {
    const consumers = this.pool.load().reduce((sum, worker) => sum + worker.consumers, 0);
    let peers = 0;
    for (const room of [...this.registry.all(), ...this.registry.edges()]) peers += room.peers.size;
    return { nodeId: this.nodeMap.nodeId, consumers, peers, load: consumers + peers };
  }

  async report(): Promise<void> {
    const url = this.url();
    if (!url) return; // not listening yet
    const entry: NodeLoad = { ...this.current(), url, at: Date.now() };
    await this.redis.client.hset('node-load', entry.nodeId, JSON.stringify(entry));
  }

  /** Live nodes with a fresh report, least loaded first. */
  async nodes(now = Date.now()): Promise<NodeLoad[]> {
    const raw = await this.redis.client.hgetall('node-load');
    const nodes: NodeLoad[] = [];
    for (const value of Object.values(raw)) {
      try {
        const entry = JSON.parse(value) as NodeLoad;
        if (now - entry.at > STALE_MS) continue;
        if ((await this.redis.client.exists(`node-lease:${entry.nodeId}`)) !== 1) continue;
        nodes.push(entry);
      } catch {
        // a malformed entry is skipped
      }
    }
    return nodes.sort((x, y) => x.load - y.load || x.nodeId.localeCompare(y.nodeId));
  }

  /** The node a client should connect to (for `sessionId` when given); this node when no report is there yet. */
  async place(sessionId?: string): Promise<NodeLoad> {
    return (await this.placeAmong(sessionId)).node;
  }

  /** `place`, with the live nodes it chose among (least loaded first). */
  async placeAmong(sessionId?: string): Promise<{ node: NodeLoad; nodes: NodeLoad[] }> {
    const nodes = await this.nodes();
    if (nodes.length === 0) {
      const self = { ...this.current(), url: this.url() ?? '', at: Date.now() };
      return { node: self, nodes: [self] };
    }
    const least = nodes[0];
    if (sessionId) {
      const ownerId = await this.nodeMap.ownerOf(sessionId);
      const owner = nodes.find((node) => node.nodeId === ownerId);
      if (owner && owner.load <= least.load + PLACEMENT_SLACK) return { node: owner, nodes };
    }
    return { node: least, nodes };
  }
}
