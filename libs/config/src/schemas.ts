/**
 * One environment schema per app. Defaults make local development work with no
 * `.env`; production must set the secrets (checked in `assertProductionSecrets`).
 * Documented variable by variable in `.env.example`.
 */
import { z } from 'zod';
import { env } from './env';

const DEV_JWT_SECRET = 'balai-dev-only-jwt-secret-change-me';
const DEV_INTERNAL_TOKEN = 'balai-dev-only-internal-token-change-me';

/** Variables every service shares: where the data lives and how to log. */
export const sharedEnvSchema = z.object({
  NODE_ENV: env.nodeEnv(),
  LOG_LEVEL: env.logLevel(),
  MONGODB_URI: env.url(['mongodb', 'mongodb+srv'], 'mongodb://127.0.0.1:27027/balai'),
  REDIS_URL: env.url(['redis', 'rediss'], 'redis://127.0.0.1:6390'),
  /** Prefix for every BullMQ queue and Redis key of this deployment (tests isolate with it). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]{1,64}$/, 'expected letters, digits, : _ -')
    .default('balai'),
  JWT_SECRET: env.secret(DEV_JWT_SECRET),
  /** Shared secret for service-to-service calls (live -> api attendance). */
  INTERNAL_API_TOKEN: env.secret(DEV_INTERNAL_TOKEN),
  PUBLIC_BASE_URL: env.url(['http', 'https'], 'http://localhost:3000'),
});

/**
 * Certificate signatory settings shipped as placeholders: a certificate carrying them is not
 * fit to hand out. `infra/balai up` and the admin screens warn while any is still in use.
 */
export const PLACEHOLDER_SIGNATORY = {
  CERT_SIGNATORY_NAME: 'Nama Kepala Dinas',
  CERT_SIGNATORY_NIP: '19700101 199003 1 001',
} as const;

export const apiEnvSchema = sharedEnvSchema.extend({
  API_PORT: env.port(3000),
  API_HOST: z.string().default('0.0.0.0'),
  /** Built browser client served at `/` (apps/web/dist). Empty disables serving it. */
  WEB_DIST_DIR: z.string().default('apps/web/dist'),
  JWT_ACCESS_TTL_SECONDS: env.int(900, 60, 86_400),
  JWT_REFRESH_TTL_SECONDS: env.int(7 * 86_400, 3600, 90 * 86_400),
  UPLOAD_MAX_BYTES: env.int(20 * 1024 * 1024, 1024, 200 * 1024 * 1024),
  LIVE_PUBLIC_URL: env.url(['http', 'https'], 'http://localhost:3001'),
  CORS_ORIGINS: env.csv('http://localhost:5173,http://localhost:3000'),
  AUTH_RATE_LIMIT_PER_MINUTE: env.int(10, 1, 10_000),
  /** Public certificate verification lookups per client IP per minute. */
  VERIFY_RATE_LIMIT_PER_MINUTE: env.int(30, 1, 10_000),
  /** Login attempts per client IP per minute (all accounts together). */
  AUTH_IP_RATE_LIMIT_PER_MINUTE: env.int(30, 1, 100_000),
  /** Lifetime of a password-reset link. */
  PASSWORD_RESET_TTL_MINUTES: env.int(60, 5, 7 * 24 * 60),
  /** Read only to warn the admin screens while the worker would print placeholders (GET /api/certificates/settings). */
  CERT_SIGNATORY_NAME: z.string().default(PLACEHOLDER_SIGNATORY.CERT_SIGNATORY_NAME),
  CERT_SIGNATORY_NIP: z.string().default(PLACEHOLDER_SIGNATORY.CERT_SIGNATORY_NIP),
});

export const liveEnvSchema = sharedEnvSchema.extend({
  LIVE_PORT: env.port(3001),
  LIVE_HOST: z.string().default('0.0.0.0'),
  API_INTERNAL_URL: env.url(['http', 'https'], 'http://127.0.0.1:3000'),
  /** Stable id of this live node in the room -> node map; defaults to host:port. */
  LIVE_NODE_ID: z.string().optional(),
  MEDIASOUP_NUM_WORKERS: env.int(0, 0, 256),
  MEDIASOUP_LISTEN_IP: z.string().ip({ message: 'expected an IP address' }).default('127.0.0.1'),
  MEDIASOUP_ANNOUNCED_ADDRESS: z.string().optional(),
  MEDIASOUP_MIN_PORT: env.int(40000, 1024, 65535),
  MEDIASOUP_MAX_PORT: env.int(40999, 1024, 65535),
  MEDIASOUP_LOG_LEVEL: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
  /** JSON array of RTCIceServer, e.g. [{"urls":"turn:turn.example:3478","username":"u","credential":"p"}] */
  ICE_SERVERS_JSON: z
    .string()
    .default('[]')
    .transform((value, ctx) => {
      try {
        const parsed: unknown = JSON.parse(value);
        if (!Array.isArray(parsed)) throw new Error('not an array');
        return parsed as Array<{ urls: string | string[]; username?: string; credential?: string }>;
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a JSON array of ICE servers' });
        return z.NEVER;
      }
    }),
  ROOM_EARLY_ENTRY_MINUTES: env.int(30, 0, 24 * 60),
  ROOM_GRACE_MINUTES: env.int(30, 0, 24 * 60),
});

/** Names of the signatory variables that still hold their placeholder value. */
export function placeholderSignatorySettings(
  env: Partial<Record<keyof typeof PLACEHOLDER_SIGNATORY, string>>,
): string[] {
  return (Object.keys(PLACEHOLDER_SIGNATORY) as Array<keyof typeof PLACEHOLDER_SIGNATORY>).filter(
    (name) => (env[name] ?? PLACEHOLDER_SIGNATORY[name]) === PLACEHOLDER_SIGNATORY[name],
  );
}

export const workerEnvSchema = sharedEnvSchema.extend({
  WORKER_HEALTH_PORT: env.port(3002),
  WORKER_HOST: z.string().default('0.0.0.0'),
  /**
   * Jobs a worker runs at once, per queue (recordings: one). A certificate job waits on the database,
   * Redis and a render thread for most of its time: 6 kept two cores busy at about 130/s with a p95 of
   * 70 ms (bench:certificates); 8 gave the same rate with a longer wait per certificate, 4 a lower rate.
   */
  WORKER_CONCURRENCY: env.int(6, 1, 64),
  /**
   * Emails sent per second at most (0: no limit). A batch of 10,000 certificates
   * would otherwise spend the cores on its notices while it renders, and mail relays
   * throttle bulk senders anyway; one-off mails (password reset, reminders) jump
   * the queue of bulk certificate notices.
   */
  MAIL_RATE_PER_SECOND: env.int(20, 0, 10_000),
  SMTP_URL: env.url(['smtp', 'smtps'], 'smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().default('Balai Dinas Perindustrian <no-reply@balai.local>'),
  CERT_ISSUER_NAME: z.string().default('Dinas Perindustrian Kabupaten Bekasi'),
  CERT_ISSUER_CITY: z.string().default('Cikarang'),
  CERT_LOGO_PATH: z.string().optional(),
  CERT_SIGNATORY_NAME: z.string().default(PLACEHOLDER_SIGNATORY.CERT_SIGNATORY_NAME),
  CERT_SIGNATORY_TITLE: z.string().default('Kepala Dinas Perindustrian'),
  CERT_SIGNATORY_NIP: z.string().default(PLACEHOLDER_SIGNATORY.CERT_SIGNATORY_NIP),
  /** Tokens: {seq} {seq:4} {course} {year} {month}. */
  CERT_NUMBER_PATTERN: z.string().default('{seq:4}/{course}/DISPERIN/{year}'),
  /** TrueType fonts embedded in certificates; must cover Latin diacritics (DejaVu: fonts-dejavu-core). */
  CERT_FONT_PATH: z.string().default('/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf'),
  CERT_FONT_BOLD_PATH: z.string().default('/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf'),
  /** How long a job may hold its lock before BullMQ considers the worker dead and hands the job to another. */
  WORKER_LOCK_MS: env.int(30_000, 5_000, 600_000),
});

export type SharedEnv = z.infer<typeof sharedEnvSchema>;
export type ApiEnv = z.infer<typeof apiEnvSchema>;
export type LiveEnv = z.infer<typeof liveEnvSchema>;
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** Development defaults for secrets must never reach production. */
export function assertProductionSecrets(config: SharedEnv): void {
  if (config.NODE_ENV !== 'production') return;
  const weak: string[] = [];
  if (config.JWT_SECRET === DEV_JWT_SECRET) weak.push('JWT_SECRET');
  if (config.INTERNAL_API_TOKEN === DEV_INTERNAL_TOKEN) weak.push('INTERNAL_API_TOKEN');
  if (weak.length) {
    throw new Error(`Invalid environment: ${weak.join(', ')} must be set to a secret value in production`);
  }
}
