export * from './database.module';
export * from './schemas';
