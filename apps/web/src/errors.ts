/** Turns an API or browser error into a sentence a participant understands. */
import { ApiError } from './api/client';
import { t, Key } from './i18n';

const BY_CODE: Record<string, Key> = {
  INVALID_CREDENTIALS: 'wrongPassword',
  WRONG_PASSWORD: 'wrongPassword',
  EMAIL_TAKEN: 'errEmailTaken',
  EMAIL_IN_USE: 'errEmailTaken',
  EMAIL_ALREADY_REGISTERED: 'errEmailTaken',
  COURSE_FULL: 'errCourseFull',
  TOO_EARLY: 'sessionNotStartedShort',
  SESSION_NOT_STARTED: 'sessionNotStartedShort',
  SESSION_OVER: 'sessionEnded',
  REGISTRATION_CLOSED: 'enrolClosed',
  TOO_MANY_REQUESTS: 'errTooMany',
  FORBIDDEN: 'errForbidden',
  NOT_FOUND: 'errNotFound',
  NETWORK: 'offline',
};

export function errorMessage(e: unknown, context?: 'login'): string {
  if (e instanceof ApiError) {
    // No answer at all: say whether it is the participant's internet or the Balai server.
    if (e.code === 'NETWORK') return navigator.onLine ? t('serverUnreachable') : t('offline');
    if (context === 'login' && (e.status === 401 || e.status === 400)) return t('wrongPassword');
    const key = BY_CODE[e.code];
    if (key) return t(key);
    if (e.status >= 500 || !e.message) return t('errGeneric');
    return e.message; // already localised by the API from Accept-Language
  }
  if (e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'SecurityError'))
    return t('cameraDenied');
  if (e instanceof DOMException && e.name === 'NotFoundError') return t('cameraMissing');
  if (!navigator.onLine) return t('offline');
  return t('errGeneric');
}
