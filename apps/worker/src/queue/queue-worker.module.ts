import { Global, Module } from '@nestjs/common';
import { QueueWorkerRunner } from './queue-worker.runner';

@Global()
@Module({ providers: [QueueWorkerRunner], exports: [QueueWorkerRunner] })
export class QueueWorkerModule {}
