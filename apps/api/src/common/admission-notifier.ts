/**
 * Tells the live nodes that who may enter a room changed (an enrolment's
 * status, or an account blocked/unblocked), so their admission caches drop it
 * (`admissionChannel` in @balai/domain). A failed publish is logged, never
 * fails the request: live nodes also drop their caches when their subscription
 * reconnects and after a minute at the latest.
 */
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Types } from 'mongoose';
import { RedisClient } from '@balai/common';
import type { ApiEnv } from '@balai/config';
import { AdmissionChange, admissionChannel } from '@balai/domain';

@Injectable()
export class AdmissionNotifier {
  private readonly logger = new Logger(AdmissionNotifier.name);
  private readonly channel: string;

  constructor(
    private readonly redis: RedisClient,
    config: ConfigService<ApiEnv, true>,
  ) {
    this.channel = admissionChannel(config.get('REDIS_PREFIX', { infer: true }));
  }

  enrolmentsChanged(courseId: Types.ObjectId | string): Promise<void> {
    return this.publish({ courseId: String(courseId) });
  }

  accountChanged(userId: Types.ObjectId | string): Promise<void> {
    return this.publish({ userId: String(userId) });
  }

  private async publish(change: AdmissionChange): Promise<void> {
    try {
      await this.redis.client.publish(this.channel, JSON.stringify(change));
    } catch (error) {
      this.logger.warn({ err: error, change }, 'could not tell the live nodes that admission changed');
    }
  }
}
