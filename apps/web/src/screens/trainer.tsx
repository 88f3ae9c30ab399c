/** Trainer screens: my courses and sessions, "Mulai sesi", materials upload. Loaded on demand. */
import { useEffect, useState } from 'preact/hooks';
import { api, Session } from '../api/client';
import { errorMessage } from '../errors';
import { t, useLang } from '../i18n';
import { navigate } from '../router';
import { formatDateTime, formatRange } from '../time';
import { Alert, Badge, Field, Loaded, PageTitle, useLoad } from '../ui';
import { SessionList, typeLabel } from './catalogue';
import { EARLY_ENTRY_MS, joinWindow, useNow } from './participant';
import { AssessmentStaffPanelLazy } from './assessments/lazy-panels';
import { RecordingsPanelLazy } from './recordings/lazy';
import { SessionRecordingsLink } from './recordings/session-recordings';
import { CoursePollsPanelLazy } from '../live/interaction/lazy';
import { prefetchLiveRoom } from '../live/prefetch';

export function TrainerHome() {
  useLang();
  useEffect(() => prefetchLiveRoom(), []);
  const state = useLoad(() => api.myTeaching(), []);
  return (
    <>
      <PageTitle>{t('trainerTitle')}</PageTitle>
      <Loaded state={state}>
        {(courses) =>
          courses.length === 0 ? (
            <p class="empty">{t('none')}</p>
          ) : (
            <ul class="cards">
              {courses.map((c) => (
                <li class="card" key={c.id}>
                  <div class="card-tags">
                    <Badge>{typeLabel(c.type)}</Badge>
                    <Badge tone={c.status === 'ongoing' ? 'live' : 'muted'}>
                      {t(`status_${c.status}` as 'status_draft')}
                    </Badge>
                  </div>
                  <h2 class="h3">
                    <a href={`#/pelatih/kursus/${c.id}`}>{c.title}</a>
                  </h2>
                  {c.startsAt && c.endsAt && <p class="muted">{formatRange(c.startsAt, c.endsAt)}</p>}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </>
  );
}

/** "Mulai sesi": closed until the room opens, and then it says when that is. */
export function GoLiveButton({ s, now }: { s: Session; now: number }) {
  const w = joinWindow(s, now);
  if (w === 'over')
    return (
      <div class="join">
        <Badge>{t(`sstatus_${s.status === 'cancelled' ? 'cancelled' : 'ended'}`)}</Badge>
        {s.status !== 'cancelled' && <SessionRecordingsLink sessionId={s.id} />}
      </div>
    );
  const opens = new Date(Date.parse(s.startsAt) - EARLY_ENTRY_MS);
  return (
    <div class="join">
      <button
        type="button"
        class="btn btn-primary"
        disabled={w === 'early'}
        data-testid={`go-live-${s.id}`}
        aria-describedby={w === 'early' ? `golive-opens-${s.id}` : undefined}
        onClick={() => navigate(`/sesi/${s.id}`)}
      >
        {s.status === 'live' ? t('join') : t('goLive')}
      </button>
      {w === 'early' && (
        <p class="hint" id={`golive-opens-${s.id}`} data-testid={`go-live-opens-${s.id}`}>
          {t('goLiveOpensAt', { t: formatDateTime(opens) })}
        </p>
      )}
    </div>
  );
}

export function MaterialsPanel({ courseId, canUpload }: { courseId: string; canUpload: boolean }) {
  const state = useLoad(() => api.materials(courseId), [courseId]);
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="materials-h">
      <h2 id="materials-h">{t('materials')}</h2>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <Loaded state={state}>
        {(items) =>
          items.length ? (
            <ul class="plain">
              {items.map((m) => (
                <li key={m.id}>
                  {m.filename}{' '}
                  <button
                    type="button"
                    class="link"
                    onClick={() =>
                      api
                        .materialDownload(courseId, m)
                        .catch((e: unknown) => setMsg({ kind: 'error', text: errorMessage(e) }))
                    }
                  >
                    {t('download')}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('noMaterials')}</p>
          )
        }
      </Loaded>
      {canUpload && (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const input = (e.currentTarget as HTMLFormElement).elements.namedItem('file') as HTMLInputElement;
            const file = input.files?.[0];
            if (!file) return;
            setBusy(true);
            setMsg(null);
            try {
              await api.uploadMaterial(courseId, file);
              setMsg({ kind: 'success', text: t('uploaded') });
              input.value = '';
              state.reload();
            } catch (err) {
              setMsg({ kind: 'error', text: errorMessage(err) });
            } finally {
              setBusy(false);
            }
          }}
        >
          <Field label={t('materialFile')} hint={t('uploadHint')}>
            {({ id, describedBy }) => (
              <input
                id={id}
                name="file"
                type="file"
                accept=".pdf,.pptx,.docx,image/png,image/jpeg,application/pdf"
                aria-describedby={describedBy}
              />
            )}
          </Field>
          <button type="submit" class="btn" disabled={busy}>
            {t('uploadMaterial')}
          </button>
        </form>
      )}
    </section>
  );
}

export function TrainerCourse({ id }: Record<string, string>) {
  useLang();
  const now = useNow();
  const state = useLoad(async () => ({ course: await api.course(id!), sessions: await api.courseSessions(id!) }), [id]);
  return (
    <Loaded state={state}>
      {({ course, sessions }) => (
        <>
          <p>
            <a href="#/pelatih">← {t('trainerTitle')}</a>
          </p>
          <PageTitle>{course.title}</PageTitle>
          <h2>{t('sessions')}</h2>
          <SessionList sessions={sessions} action={(s) => <GoLiveButton s={s} now={now} />} />
          <MaterialsPanel courseId={course.id} canUpload />
          <AssessmentStaffPanelLazy courseId={course.id} />
          <RecordingsPanelLazy courseId={course.id} />
          <CoursePollsPanelLazy courseId={course.id} sessions={sessions} />
        </>
      )}
    </Loaded>
  );
}
