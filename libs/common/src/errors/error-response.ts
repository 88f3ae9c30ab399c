/**
 * The one JSON error shape every HTTP error of every Balai service uses.
 * `error` is a stable machine-readable code (clients switch on it); `message`
 * is for people, in Bahasa Indonesia or English by `Accept-Language`.
 */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  message: string;
  /** Per-field problems for validation failures: field path -> messages. */
  details?: Record<string, string[]>;
  /** Present on 500s: the same id is in the log line, for support. */
  errorId?: string;
}

export type Lang = 'id' | 'en';

export interface LocalizedText {
  id: string;
  en: string;
}

/** Bahasa Indonesia unless the client clearly prefers English. */
export function pickLang(acceptLanguage: string | string[] | undefined): Lang {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.split('=')[1]) || 0 : 1 };
    })
    .filter((entry) => entry.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('id') || tag.startsWith('in')) return 'id';
    if (tag.startsWith('en')) return 'en';
  }
  return 'id';
}
