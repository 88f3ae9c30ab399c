/**
 * Request, reply and notice between live nodes over Redis pub/sub: one channel
 * per node, JSON messages. A request is answered once (its reply names it by
 * id) or fails: refused by the other node, nobody subscribed to its channel
 * (the node is gone), or no answer within the timeout. Notices are one-way.
 * The live service's Redis connections have no offline queue, so the bus
 * subscribes once its connection is ready, and again after a reconnect.
 * Used by NodePipes (media) and EdgeRelay (room events).
 */
import type { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@balai/common';

export interface BusRequest<Op extends string> {
  kind: 'req';
  id: string;
  from: string;
  op: Op;
  body: Record<string, unknown>;
}

interface BusReply {
  kind: 'res';
  id: string;
  ok: boolean;
  body?: Record<string, unknown>;
  error?: string;
}

/** A one-way message; the bus stamps it with the sending node. */
export type BusNotice<N> = N & { kind: 'evt'; from: string };

export interface NodeBusOptions<Op extends string, N> {
  redis: RedisClient;
  nodeId: string;
  /** The channel a node listens on. */
  channel: (nodeId: string) => string;
  timeoutMs: number;
  logger: Logger;
  /** Answers a request from another node (a thrown error is its refusal). */
  serve: (request: BusRequest<Op>) => Promise<Record<string, unknown>> | Record<string, unknown>;
  notice: (notice: BusNotice<N>) => Promise<void> | void;
}

export class NodeBus<Op extends string, N extends object> {
  private subscriber?: Redis;
  private ready?: Promise<void>;
  private readonly pending = new Map<
    string,
    { resolve: (body: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();

  constructor(private readonly options: NodeBusOptions<Op, N>) {}

  start(): void {
    const { redis, nodeId, channel, logger } = this.options;
    const subscriber = redis.client.duplicate();
    this.subscriber = subscriber;
    let subscribed: () => void = () => undefined;
    this.ready = new Promise((resolve) => (subscribed = resolve));
    subscriber.on('ready', () => {
      subscriber.subscribe(channel(nodeId)).then(
        () => subscribed(),
        (error: unknown) => logger.warn({ err: error, channel: channel(nodeId) }, 'could not subscribe'),
      );
    });
    subscriber.on('error', () => undefined); // reconnects by itself; requests in flight time out
    subscriber.on('message', (_channel: string, raw: string) => void this.receive(raw));
  }

  stop(): void {
    for (const { reject } of this.pending.values()) reject(new Error('shutting down'));
    this.subscriber?.disconnect();
  }

  /** Resolves once this node listens on its channel. */
  async whenReady(): Promise<void> {
    await this.ready;
  }

  async request(nodeId: string, op: Op, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    await this.ready;
    const id = randomUUID();
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`node ${nodeId} did not answer ${op}`));
      }, this.options.timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    // Handled by whoever awaits it; until then (during the publish) a rejection must not count as unhandled.
    answer.catch(() => undefined);
    try {
      const request: BusRequest<Op> = { kind: 'req', id, from: this.options.nodeId, op, body };
      if ((await this.publish(nodeId, request)) === 0) throw new Error(`node ${nodeId} is not listening`);
    } catch (error) {
      this.pending.get(id)?.reject(error instanceof Error ? error : new Error('could not publish'));
      this.pending.delete(id);
    }
    return answer;
  }

  /** A one-way message to a node; resolves with how many listened (0: the node is gone). */
  notify(nodeId: string, notice: N): Promise<number> {
    return this.publish(nodeId, { ...notice, kind: 'evt', from: this.options.nodeId });
  }

  private publish(nodeId: string, message: object): Promise<number> {
    return this.options.redis.client.publish(this.options.channel(nodeId), JSON.stringify(message));
  }

  private async receive(raw: string): Promise<void> {
    let message: BusRequest<Op> | BusReply | BusNotice<N>;
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (message.kind === 'res') {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.ok) waiter.resolve(message.body ?? {});
      else waiter.reject(new Error(message.error ?? 'refused'));
    } else if (message.kind === 'evt') {
      await this.options.notice(message);
    } else if (message.kind === 'req') {
      let reply: BusReply;
      try {
        reply = { kind: 'res', id: message.id, ok: true, body: await this.options.serve(message) };
      } catch (error) {
        this.options.logger.warn({ err: error, op: message.op, from: message.from }, 'node request refused');
        reply = { kind: 'res', id: message.id, ok: false, error: error instanceof Error ? error.message : 'failed' };
      }
      await this.publish(message.from, reply).catch(() => undefined);
    }
  }
}
