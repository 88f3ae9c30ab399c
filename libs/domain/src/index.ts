export * from './roles';
export * from './ikm';
export * from './course';
export * from './time';
export * from './attendance-events';
export * from './attendance-math';
export * from './certificate-rules';
export * from './admission-changes';
