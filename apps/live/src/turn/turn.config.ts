/**
 * TURN settings of the live service (part of its environment schema, see
 * config/live-config.ts). Browsers that cannot reach the SFU directly (mobile
 * carriers, office firewalls) relay through coturn; the live service hands out
 * short-lived credentials for it with coturn's shared-secret REST scheme
 * (`use-auth-secret` + `static-auth-secret` in turnserver.conf), so no TURN
 * password ever ships to browsers and none needs to be revoked.
 */
import { z } from 'zod';
import { env } from '@balai/config';

/** turn:host[:port][?transport=udp|tcp] or turns:host[:port][?transport=tcp] */
const TURN_URI = /^(turn:[^\s?,]+(\?transport=(udp|tcp))?|turns:[^\s?,]+(\?transport=tcp)?)$/;

export const turnEnvShape = {
  /** coturn's static-auth-secret. Set together with TURN_URLS; empty = no TURN credentials are issued. */
  TURN_SECRET: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, 'expected at least 16 characters').optional(),
  ),
  /** Comma-separated TURN URIs given to browsers, e.g. turn:turn.example:3478?transport=udp,turns:turn.example:5349?transport=tcp */
  TURN_URLS: env
    .csv('')
    .refine(
      (urls) => urls.every((url) => TURN_URI.test(url)),
      'expected comma-separated turn: or turns: URIs (turn:host:3478?transport=udp)',
    ),
  /** Lifetime of an issued credential. coturn refuses an allocation with an expired one; a live allocation keeps refreshing. */
  TURN_CREDENTIAL_TTL_SECONDS: env.int(3600, 60, 86_400),
};

/** Rules across the TURN variables, for the schema's superRefine. */
export function checkTurnEnv(value: { TURN_SECRET?: string; TURN_URLS: string[] }, ctx: z.RefinementCtx): void {
  if (value.TURN_URLS.length > 0 && !value.TURN_SECRET) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['TURN_SECRET'],
      message: 'required when TURN_URLS is set (coturn static-auth-secret)',
    });
  }
  if (value.TURN_SECRET && value.TURN_URLS.length === 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['TURN_URLS'], message: 'required when TURN_SECRET is set' });
  }
}
