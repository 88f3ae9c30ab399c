/**
 * Environment of the API under fuzzing: the auth and verification rate limits are raised so
 * that thousands of generated logins and registrations are answered on their merits instead
 * of all with 429 (the limits themselves are tested in auth.int-spec.ts). Set before the app starts.
 */
export const FUZZ_RATE_LIMITS: Record<string, string> = {
  AUTH_RATE_LIMIT_PER_MINUTE: '10000',
  AUTH_IP_RATE_LIMIT_PER_MINUTE: '100000',
  VERIFY_RATE_LIMIT_PER_MINUTE: '10000',
};
