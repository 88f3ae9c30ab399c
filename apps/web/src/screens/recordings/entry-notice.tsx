/**
 * Told before entering a session's room (issue 13): "Sesi ini sedang direkam"
 * while a live node records it, or that the course records every session.
 * Small on purpose: the live room's chunk imports it (no panel, no CSS).
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import { RecordingEntryStatus, recordingsApi } from './recordings-api';

/** The status, or null when there is nothing to tell (or it could not be read: the room shows "● Merekam"). */
export async function recordingEntryStatus(sessionId: string, timeoutMs = 4000): Promise<RecordingEntryStatus | null> {
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
  const status = await Promise.race([recordingsApi.entryStatus(sessionId).catch(() => null), timeout]);
  return status && (status.recording || status.autoRecord) ? status : null;
}

export function RecordingEntryBanner({ status }: { status: RecordingEntryStatus }) {
  return (
    <div class="banner" role="status" data-testid="recording-entry-notice" data-recording={String(status.recording)}>
      <strong>{status.recording ? t('recEntryRecording') : t('recEntryAuto')}</strong>{' '}
      {status.recording && status.autoRecord && `${t('recEntryAuto')} `}
      {t('recEntryConsent')}
    </div>
  );
}

/** For screens that are shown anyway before entering (the device check). */
export function RecordingEntryNotice({ sessionId }: { sessionId: string }) {
  const [status, setStatus] = useState<RecordingEntryStatus | null>(null);
  useEffect(() => {
    let live = true;
    void recordingEntryStatus(sessionId).then((s) => live && setStatus(s));
    return () => {
      live = false;
    };
  }, [sessionId]);
  return status ? <RecordingEntryBanner status={status} /> : null;
}

/** A participant's step before the room, only when the session is (or will be) recorded. */
export function RecordingEntryStep({ status, onEnter }: { status: RecordingEntryStatus; onEnter: () => void }) {
  return (
    <div class="live-center">
      <h1>{t('recRecordings')}</h1>
      <RecordingEntryBanner status={status} />
      <div class="row" style={{ justifyContent: 'center' }}>
        <button type="button" class="btn btn-primary" data-testid="enter-recorded-room" onClick={onEnter}>
          {t('recEnter')}
        </button>
      </div>
    </div>
  );
}
