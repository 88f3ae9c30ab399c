export * from './queues';
export * from './queue.module';
export * from './certificates';
export * from './notifications/notification.producer';
export * from './recordings';
