export * from './errors';
export * from './logging/logging.module';
export * from './redis/redis';
export * from './redis/redis.module';
export * from './health/redis.health';
export * from './health/mongo.health';
export * from './http/bootstrap';
export * from './auth';
