export * from './certificate.producer';
