/**
 * "Rekaman": the recordings of a course (or one session), each with a player
 * that streams the MP4 with HTTP Range requests (seekable on a phone), the
 * 360p variant first on a small screen or a poor link, and a download link.
 * Staff see composing progress and a failure's reason; admins may delete.
 */
import { useState } from 'preact/hooks';
import { meStore } from '../../api/client';
import { errorMessage } from '../../errors';
import { useStore } from '../../store';
import { formatDateTime } from '../../time';
import { Alert, Loaded, useLoad } from '../../ui';
import { t } from '../../i18n';
import { preferredVariant, Recording, recordingsApi } from './recordings-api';
import './recordings.css';

function Player({ recording }: { recording: Recording }) {
  const [variant, setVariant] = useState<string>(() => {
    const wanted = preferredVariant();
    return recording.variants.some((v) => v.name === wanted) ? wanted : (recording.variants[0]?.name ?? wanted);
  });
  const [failed, setFailed] = useState(false);
  const current = recording.variants.find((v) => v.name === variant) ?? recording.variants[0];
  if (!current) return null;
  return (
    <div class="recording-player">
      <video
        key={current.url}
        src={current.url}
        controls
        playsInline
        preload="metadata"
        onError={() => setFailed(true)}
        aria-label={t('recRecordings')}
      />
      {failed && <Alert kind="error">{t('recPlayError')}</Alert>}
      <div class="recording-actions">
        <label>
          {t('recQuality')}{' '}
          <select
            value={variant}
            onChange={(e) => {
              setFailed(false);
              setVariant((e.currentTarget as HTMLSelectElement).value);
            }}
          >
            {recording.variants.map((v) => (
              <option key={v.name} value={v.name}>
                {v.name === '360p' ? t('recQuality360') : t('recQuality720')}
              </option>
            ))}
          </select>
        </label>
        <a class="button" href={`${current.url}&download=1`} download>
          {t('recDownload')} ({Math.max(1, Math.round(current.size / 1e6))} MB)
        </a>
      </div>
    </div>
  );
}

function statusLine(r: Recording, staff: boolean): string | null {
  if (r.status === 'recording') return t('recStatusRecording');
  if (r.status === 'composing') return t('recStatusComposing', { p: r.progress });
  if (r.status === 'recorded')
    return staff && r.error
      ? `${t('recStatusRecorded')} · ${t('recFailedReason', { r: r.error })}`
      : t('recStatusRecorded');
  if (r.status === 'failed')
    return staff && r.error
      ? `${t('recStatusFailed')} · ${t('recFailedReason', { r: r.error })}`
      : t('recStatusFailed');
  return null;
}

export function RecordingsPanel(props: { courseId?: string; sessionId?: string }) {
  const me = useStore(meStore);
  const staff = !!me && me.role !== 'participant';
  const state = useLoad(
    () => (props.sessionId ? recordingsApi.ofSession(props.sessionId) : recordingsApi.ofCourse(props.courseId!)),
    [props.courseId, props.sessionId],
  );
  const [msg, setMsg] = useState<string | null>(null);
  const remove = async (id: string) => {
    if (!confirm(t('recDeleteConfirm'))) return;
    try {
      await recordingsApi.remove(id);
      state.reload();
    } catch (e) {
      setMsg(errorMessage(e));
    }
  };
  return (
    <section class="recordings" aria-labelledby="recordings-title">
      <h2 id="recordings-title">{t('recRecordings')}</h2>
      {msg && <Alert kind="error">{msg}</Alert>}
      <Loaded state={state}>
        {(list) =>
          list.length === 0 ? (
            <p class="muted">{t('recNoRecordings')}</p>
          ) : (
            <ul class="plain recordings-list">
              {list.map((r) => {
                const status = statusLine(r, staff);
                const seconds = Math.round(r.durationSeconds ?? 0);
                return (
                  <li key={r.id} class="recording-item">
                    <p>
                      <strong>{t('recRecordedAt', { t: formatDateTime(r.startedAt) })}</strong>
                      {seconds > 0 && ` · ${t('recDuration', { m: Math.floor(seconds / 60), s: seconds % 60 })}`}
                    </p>
                    {status && <p class="muted">{status}</p>}
                    {r.gaps.some((g) => g.reason !== 'live-node-died') && (
                      <p class="muted">
                        {t('recGaps', { n: r.gaps.filter((g) => g.reason !== 'live-node-died').length })}
                      </p>
                    )}
                    {r.gaps.some((g) => g.reason === 'live-node-died') && <p class="muted">{t('recGapNodeDied')}</p>}
                    {r.status === 'ready' && <Player recording={r} />}
                    {me?.role === 'admin' && (
                      <button type="button" class="link danger" onClick={() => void remove(r.id)}>
                        {t('recDeleteRecording')}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
