import { Module } from '@nestjs/common';
import { BalaiConfigModule, workerEnvSchema } from '@balai/config';
import { LoggingModule, RedisModule } from '@balai/common';
import { DatabaseModule } from '@balai/database';
import { QueueModule } from '@balai/queue';
import { CertificatesModule } from './certificates/certificates.module';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { QueueWorkerModule } from './queue/queue-worker.module';
import { recordingWorkerEnvShape } from './recordings/recording.config';
import { RecordingsModule } from './recordings/recordings.module';

/** The BullMQ processors (certificates, notifications) and a health endpoint. */
@Module({
  imports: [
    BalaiConfigModule.forApp(workerEnvSchema.extend(recordingWorkerEnvShape)),
    LoggingModule.forService('worker'),
    DatabaseModule.forRoot(),
    QueueModule.forRoot(),
    RedisModule.forService('worker'),
    QueueWorkerModule,
    CertificatesModule,
    NotificationsModule,
    RecordingsModule,
    HealthModule,
  ],
})
export class WorkerModule {}
