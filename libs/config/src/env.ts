/**
 * Environment validation shared by every app. Each app declares one zod schema
 * (see ./schemas) and validates `process.env` exactly once at boot. Nothing else
 * in the code base may read `process.env`: services receive typed config objects.
 */
import { z } from 'zod';

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Parse `env` against `schema`; throws an error naming every bad variable. */
export function parseEnv<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data as z.infer<S>;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(root)';
    const got = issue.path.length ? env[String(issue.path[0])] : undefined;
    const shown = got === undefined ? 'missing' : `got ${JSON.stringify(got)}`;
    return `${name}: ${issue.message} (${shown})`;
  });
  throw new InvalidEnvironmentError(problems);
}

/** Reusable field builders, so every app spells the same variable the same way. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: (protocols: string[], fallback?: string) => {
    const base = z
      .string()
      .refine(
        (value) => protocols.some((p) => value.startsWith(`${p}://`)),
        `expected a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
      );
    return fallback === undefined ? base : base.default(fallback);
  },
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], {
        errorMap: () => ({ message: 'expected true or false' }),
      })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce.number().int().min(min).max(max).default(fallback),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  nodeEnv: () => z.enum(['development', 'test', 'production']).default('development'),
  secret: (devFallback: string) => z.string().min(16, 'expected at least 16 characters').default(devFallback),
  csv: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
};
