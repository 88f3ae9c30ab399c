export * from './error-response';
export * from './app.exception';
export * from './default-messages';
export * from './validation.pipe';
export * from './all-exceptions.filter';
export * from './driver-errors';
