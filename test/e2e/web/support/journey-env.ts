/**
 * Imported first by the journey test. The live service reports attendance to
 * API_INTERNAL_URL, read once at start-up, but the test API listens on a random
 * port: point the live service at a fixed loopback port where the test runs a
 * TCP relay to the API once it is up.
 */
import './env';

export const INTERNAL_RELAY_PORT = 21000 + (process.pid % 8000);
process.env.API_INTERNAL_URL = `http://127.0.0.1:${INTERNAL_RELAY_PORT}`;
process.env.ATTENDANCE_RETRY_MS = '200';
