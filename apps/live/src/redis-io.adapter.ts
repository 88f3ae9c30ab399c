/**
 * socket.io over the Redis adapter, so a session's channel reaches its peers
 * on every live node. Uses its own two connections (pub/sub cannot share the
 * general-purpose client) and the deployment's key prefix.
 */
import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import { createRedis } from '@balai/common';

export class RedisIoAdapter extends IoAdapter {
  private pub?: Redis;
  private sub?: Redis;

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl: string,
    private readonly keyPrefix: string,
  ) {
    super(app);
  }

  override createIOServer(...args: Parameters<IoAdapter['createIOServer']>): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(...args) as { adapter(factory: unknown): unknown };
    this.pub ??= createRedis(this.redisUrl);
    this.sub ??= this.pub.duplicate();
    // ioredis reconnects by itself; without a listener every failed attempt is printed as unhandled.
    for (const client of [this.pub, this.sub])
      if (client.listenerCount('error') === 0) client.on('error', () => undefined);
    server.adapter(createAdapter(this.pub, this.sub, { key: this.keyPrefix }));
    return server;
  }

  override async close(server: Parameters<IoAdapter['close']>[0]): Promise<void> {
    await super.close(server);
    this.pub?.disconnect();
    this.sub?.disconnect();
    this.pub = undefined;
    this.sub = undefined;
  }
}
