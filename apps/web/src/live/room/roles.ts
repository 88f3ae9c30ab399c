import type { PeerInfo } from '@balai/live-contract';

/** Hosts and moderators publish without an invitation and moderate. */
export const isStaff = (p: PeerInfo | null): boolean => !!p && (p.role === 'host' || p.role === 'moderator');

/** Why getUserMedia failed, as a sentence key. */
export function deviceErrorKind(e: unknown): 'denied' | 'missing' | 'insecure' {
  if (!window.isSecureContext) return 'insecure';
  if (e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'SecurityError')) return 'denied';
  return 'missing';
}
