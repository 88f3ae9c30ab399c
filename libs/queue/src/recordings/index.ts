export * from './recording-manifest';
export * from './recording.producer';
