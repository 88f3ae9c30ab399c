export * from './recording-manifest';
export * from './recording.producer';
export * from './recording-files';
