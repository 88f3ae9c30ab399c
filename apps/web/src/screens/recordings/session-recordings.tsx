/** The page of one session's recordings (#/rekaman-sesi/<id>), linked from the session rows of the course pages. */
import { t, useLang } from '../../i18n';
import { RecordingsPanelLazy } from './lazy';

export function SessionRecordings({ sessionId }: Record<string, string>) {
  useLang();
  return (
    <div class="session-recordings" data-testid="session-recordings">
      <p>
        <a href="#" onClick={(e) => (e.preventDefault(), history.back())}>
          ← {t('back')}
        </a>
      </p>
      <h1>{t('recSessionTitle')}</h1>
      <RecordingsPanelLazy sessionId={sessionId!} />
    </div>
  );
}

/** "Rekaman" beside a session that has been held (its recordings, if any, are there). */
export function SessionRecordingsLink({ sessionId }: { sessionId: string }) {
  return (
    <a href={`#/rekaman-sesi/${sessionId}`} data-testid={`session-recordings-${sessionId}`}>
      {t('recRecordings')}
    </a>
  );
}
