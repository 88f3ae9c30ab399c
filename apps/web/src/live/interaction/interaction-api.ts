/**
 * REST routes of issue 12 (prepared polls, a session's Q&A and poll results,
 * CSV), typed from the API's OpenAPI document, over the shared token handling
 * of api/client (refresh first when there is no token, one retry after a 401).
 */
import { ApiError, download, getAccessToken, refreshTokens } from '../../api/client';
import type { components } from '../../api/openapi';
import { langStore } from '../../i18n';

type S = components['schemas'];
export type PreparedPoll = S['PollDto'];
export type SessionInteraction = S['SessionInteractionDto'];
export type CreatePoll = S['CreatePollDto'];

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const once = () => {
    const headers: Record<string, string> = { 'Accept-Language': langStore.get(), Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = getAccessToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    return fetch(`/api${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }).catch(
      () => {
        throw new ApiError(0, 'NETWORK', 'network');
      },
    );
  };
  if (!getAccessToken()) await refreshTokens();
  let res = await once();
  if (res.status === 401 && (await refreshTokens())) res = await once();
  const text = res.status === 204 ? '' : await res.text().catch(() => '');
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const b = (data ?? {}) as { error?: string; message?: string; details?: Record<string, string[]> };
    throw new ApiError(res.status, b.error ?? `HTTP_${res.status}`, b.message ?? res.statusText, b.details);
  }
  return data as T;
}

export const interactionApi = {
  preparedPolls: (courseId: string) => json<PreparedPoll[]>('GET', `/courses/${courseId}/polls`),
  preparePoll: (courseId: string, body: CreatePoll) => json<PreparedPoll>('POST', `/courses/${courseId}/polls`, body),
  deletePoll: (courseId: string, pollId: string) => json<void>('DELETE', `/courses/${courseId}/polls/${pollId}`),
  sessionReport: (sessionId: string) => json<SessionInteraction>('GET', `/sessions/${sessionId}/interaction`),
  questionsCsv: (sessionId: string) =>
    download(`/sessions/${sessionId}/interaction/questions.csv`, `tanya-jawab-${sessionId}.csv`),
  pollsCsv: (sessionId: string) => download(`/sessions/${sessionId}/interaction/polls.csv`, `polling-${sessionId}.csv`),
};
