export * from './events';
export * from './errors';
export * from './payloads';
export * from './media-params';
export * from './socket';
export * from './recording';
export * from './interaction';
