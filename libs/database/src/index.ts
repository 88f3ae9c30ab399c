export * from './database.module';
export * from './schemas';
export * from './ids';
export * from './eligibility/eligibility.repository';
