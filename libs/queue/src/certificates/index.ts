export * from './certificate-eligibility';
export * from './certificate.producer';
