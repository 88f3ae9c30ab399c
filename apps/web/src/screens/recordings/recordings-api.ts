/** The recordings routes (issue 13), typed from the API's OpenAPI document, with the shared token handling. */
import { ApiError, getAccessToken, refreshTokens } from '../../api/client';
import type { components } from '../../api/openapi';
import { langStore } from '../../i18n';

export type Recording = components['schemas']['RecordingResponseDto'];
export type RecordingVariant = components['schemas']['RecordingVariantDto'];
export type RecordingEntryStatus = components['schemas']['RecordingEntryStatusDto'];

async function send<T>(method: string, path: string): Promise<T> {
  const once = async () => {
    const headers: Record<string, string> = { 'Accept-Language': langStore.get(), Accept: 'application/json' };
    const token = getAccessToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(`/api${path}`, { method, headers });
    } catch {
      throw new ApiError(0, 'NETWORK', 'network');
    }
  };
  if (!getAccessToken()) await refreshTokens();
  let res = await once();
  if (res.status === 401 && (await refreshTokens())) res = await once();
  const text = res.status === 204 ? '' : await res.text().catch(() => '');
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const b = (data ?? {}) as { error?: string; message?: string };
    throw new ApiError(res.status, b.error ?? `HTTP_${res.status}`, b.message ?? res.statusText);
  }
  return data as T;
}

export const recordingsApi = {
  ofCourse: (courseId: string) => send<Recording[]>('GET', `/courses/${courseId}/recordings`),
  ofSession: (sessionId: string) => send<Recording[]>('GET', `/sessions/${sessionId}/recordings`),
  remove: (id: string) => send<undefined>('DELETE', `/recordings/${id}`),
  entryStatus: (sessionId: string) => send<RecordingEntryStatus>('GET', `/sessions/${sessionId}/recording-status`),
};

/**
 * 360p on a small screen or a poor link (the Network Information API where the
 * browser has it: Chromium on Android), else 720p.
 */
export function preferredVariant(): '360p' | '720p' {
  const small = typeof matchMedia === 'function' && matchMedia('(max-width: 640px)').matches;
  const connection = (navigator as Navigator & { connection?: { effectiveType?: string; saveData?: boolean } })
    .connection;
  const poor = !!connection && (connection.saveData === true || /(^|-)2g|3g/.test(connection.effectiveType ?? ''));
  return small || poor ? '360p' : '720p';
}
