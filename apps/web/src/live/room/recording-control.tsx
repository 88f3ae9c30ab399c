/**
 * Recording in the room (issue 13): "● Merekam" for everyone while the session
 * is recorded (a participant is told as soon as they enter), and for the host
 * or a moderator the start/stop button, disabled with the reason when the
 * server cannot record (ffmpeg missing). Recorder problems (a full disk, a
 * restarted recorder) reach the staff only.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RecordingStatus } from '@balai/live-contract/recording';
import { t } from '../../i18n';
import type { LiveClient } from '../live-client';
import type { LiveState } from '../room-state';

export function RecordingControl({ s, client, sessionId }: { s: LiveState; client: LiveClient; sessionId: string }) {
  const [asked, setAsked] = useState<RecordingStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const live = s.status === 'live';
  // The state at entry (later changes arrive as recording:status notifications).
  useEffect(() => {
    if (!live) return;
    void client.request('recording:query', { sessionId }).then(
      (status) => setAsked(status),
      () => undefined,
    );
  }, [live]);
  const status = s.recording ?? asked;
  const staff = !!s.self && s.self.role !== 'participant';
  const notice = staff ? s.recordingNotice : null;
  const toggle = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const next = await client.request(status?.recording ? 'recording:stop' : 'recording:start', {});
      setAsked(next);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="recording-bar">
      {status?.recording && (
        <span class="recording-on" role="status" data-testid="recording-indicator">
          {t('recRecordingNow')}
        </span>
      )}
      {status?.recording && !staff && <span class="muted">{t('recRecordedNotice')}</span>}
      {staff && (
        <button
          type="button"
          class="btn"
          data-testid="record-button"
          disabled={busy || !status || !status.available}
          title={status && !status.available ? t('recRecordUnavailable') : undefined}
          onClick={() => void toggle()}
        >
          {status?.recording ? t('recRecordStop') : t('recRecordStart')}
        </button>
      )}
      {staff && status && !status.available && <span class="muted">{t('recRecordUnavailable')}</span>}
      {failed && <span role="alert">{t('recRecordFailed')}</span>}
      {notice && (
        <span role="alert">{notice.reason === 'disk-full' ? t('recRecordDiskFull') : t('recRecordRestarted')}</span>
      )}
    </div>
  );
}
