import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { SharedEnv } from '@balai/config';
import { CertificateProducer } from './certificates/certificate.producer';
import { NotificationProducer } from './notifications/notification.producer';
import { RecordingProducer } from './recordings/recording.producer';
import { QUEUES } from './queues';

/**
 * BullMQ on the platform's Redis, with the deployment's key prefix, and the one
 * typed producer of each queue (apps enqueue only through these).
 * Retries with exponential backoff; failed jobs are kept so admins see why.
 */
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<SharedEnv, true>) => {
            const url = new URL(config.get('REDIS_URL', { infer: true }));
            return {
              connection: {
                host: url.hostname,
                port: Number(url.port || 6379),
                username: url.username || undefined,
                password: url.password ? decodeURIComponent(url.password) : undefined,
                db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
                tls: url.protocol === 'rediss:' ? {} : undefined,
                maxRetriesPerRequest: null,
              },
              prefix: config.get('REDIS_PREFIX', { infer: true }),
              defaultJobOptions: {
                attempts: 5,
                backoff: { type: 'exponential', delay: 2000 },
                removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
                removeOnFail: false,
              },
            };
          },
        }),
        BullModule.registerQueue(
          { name: QUEUES.certificates },
          { name: QUEUES.notifications },
          { name: QUEUES.recordings },
        ),
      ],
      providers: [CertificateProducer, NotificationProducer, RecordingProducer],
      exports: [BullModule, CertificateProducer, NotificationProducer, RecordingProducer],
    };
  }
}
