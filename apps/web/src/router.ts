/**
 * Hash router (`#/kelas`, `#/kursus/<id>`): works behind any static server with
 * no fallback rule. The one exception is the public verification link printed on
 * certificates (`/verify/<code>`) and the password-reset email link
 * (`/reset-password?token=...`), read from location.pathname.
 */
import { createStore, useStore } from './store';

export interface Route {
  path: string;
  params: URLSearchParams;
}

function read(): Route {
  const noHash = !location.hash;
  const verify = /^\/verify\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname);
  if (verify && noHash) return { path: `/verifikasi/${verify[1]}`, params: new URLSearchParams() };
  // The password-reset email links to `/reset-password?token=...` (apps/api auth.service).
  if (location.pathname === '/reset-password' && noHash)
    return { path: '/atur-sandi', params: new URLSearchParams(location.search) };
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query] = raw.split('?');
  return { path: path || '/', params: new URLSearchParams(query ?? '') };
}

export const routeStore = createStore<Route>(read());
window.addEventListener('hashchange', () => routeStore.set(read()));

export const useRoute = () => useStore(routeStore);

export function navigate(to: string): void {
  if (location.pathname !== '/') {
    // Leave a printed/emailed path (/verify/..., /reset-password) for the app's normal home.
    history.replaceState(null, '', `/#${to}`);
    routeStore.set(read());
    return;
  }
  location.hash = to;
}

/** Match `/kursus/:id` against a path; returns params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg.startsWith(':')) out[seg.slice(1)] = decodeURIComponent(a[i]!);
    else if (seg !== a[i]) return null;
  }
  return out;
}

/** Where each role lands after sign-in, and where a page meant for another role sends them. */
export function homeFor(role: string): string {
  if (role === 'admin') return '/admin';
  if (role === 'trainer') return '/pelatih';
  return '/kelas';
}
