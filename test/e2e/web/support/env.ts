/**
 * Imported first by the web browser tests, before the apps' modules are loaded:
 * the UI tests sign in several times from one IP, which the production login
 * rate limit (10/min) would otherwise refuse.
 */
process.env.AUTH_RATE_LIMIT_PER_MINUTE = process.env.AUTH_RATE_LIMIT_PER_MINUTE_TEST ?? '1000';
