/** Participant screens: "Kelas saya" with the join button, one course (attendance, materials), certificates. */
import { useEffect, useState } from 'preact/hooks';
import { api, Course, MyEnrollment, meStore, Session } from '../api/client';
import { errorMessage } from '../errors';
import { t, useLang } from '../i18n';
import { homeFor, navigate, useRoute } from '../router';
import { useStore } from '../store';
import { formatDate, formatRange, formatTime } from '../time';
import { Alert, Badge, Loaded, PageTitle, useLoad } from '../ui';
import { SessionList } from './catalogue';
import { AssessmentPanelLazy } from './assessments/lazy-panels';
import { RecordingsPanelLazy } from './recordings/lazy';
import { SessionRecordingsLink } from './recordings/session-recordings';
import { prefetchLiveRoom, warmLiveConnection } from '../live/prefetch';

/** How early the room opens; the live service is authoritative (ROOM_EARLY_ENTRY_MINUTES). */
export const EARLY_ENTRY_MS = 30 * 60_000;
export const GRACE_MS = 30 * 60_000;

export function joinWindow(s: Session, now: number): 'early' | 'open' | 'over' {
  if (s.status === 'cancelled' || s.status === 'ended') return 'over';
  if (s.status === 'live') return 'open';
  if (now < Date.parse(s.startsAt) - EARLY_ENTRY_MS) return 'early';
  if (now > Date.parse(s.endsAt) + GRACE_MS) return 'over';
  return 'open';
}

/** Re-render every 20 s so the join button opens by itself at the right time. */
export function useNow(ms = 20_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function JoinButton({ s, now }: { s: Session; now: number }) {
  const w = joinWindow(s, now);
  // A session open to join: the live socket opens now, so "Masuk kelas" skips its handshakes (#10 weak link).
  useEffect(() => {
    if (w === 'open') warmLiveConnection(s.id);
  }, [w, s.id]);
  if (w === 'over')
    return (
      <div class="join">
        <Badge>{t(`sstatus_${s.status === 'cancelled' ? 'cancelled' : 'ended'}`)}</Badge>
        {s.status !== 'cancelled' && <SessionRecordingsLink sessionId={s.id} />}
      </div>
    );
  if (w === 'early')
    return (
      <div class="join">
        <button type="button" class="btn" disabled aria-describedby={`opens-${s.id}`}>
          {t('join')}
        </button>
        <p class="hint" id={`opens-${s.id}`}>
          {t('joinOpensAt', {
            t: `${formatDate(new Date(Date.parse(s.startsAt) - EARLY_ENTRY_MS))}, ${formatTime(new Date(Date.parse(s.startsAt) - EARLY_ENTRY_MS))}`,
          })}
        </p>
      </div>
    );
  return (
    <a class="btn btn-primary" href={`#/sesi/${s.id}`}>
      {t('join')}
    </a>
  );
}

interface ClassItem {
  enrolment: MyEnrollment;
  course: Course;
  sessions: Session[];
}

/**
 * "Kelas saya" is a participant's page. A trainer or admin who lands here (the
 * live room's end screen links here) goes to their own home instead of a 403.
 */
function useParticipantOnly(courseId?: string): boolean {
  const me = useStore(meStore);
  const other = !!me && me.role !== 'participant';
  useEffect(() => {
    if (!me || !other) return;
    if (courseId) navigate(me.role === 'admin' ? `/admin/kursus/${courseId}` : `/pelatih/kursus/${courseId}`);
    else navigate(homeFor(me.role));
  }, [me?.role, courseId]);
  return other;
}

export function MyClasses() {
  useLang();
  const me = useStore(meStore);
  const now = useNow();
  const route = useRoute();
  const elsewhere = useParticipantOnly();
  // The room's code and the live address, fetched while the participant reads this page (#10 weak link).
  useEffect(() => prefetchLiveRoom(), []);
  const state = useLoad(async (): Promise<ClassItem[]> => {
    if (elsewhere) return [];
    const list = (await api.myEnrollments()).filter((e) => e.status === 'enrolled' || e.status === 'waitlisted');
    return Promise.all(
      list.map(async (e) => {
        const [course, sessions] = await Promise.all([
          api.course(e.courseId),
          api.courseSessions(e.courseId).catch(() => [] as Session[]),
        ]);
        return { enrolment: e, course, sessions };
      }),
    );
  }, [me?.id]);
  return (
    <>
      <PageTitle>{t('myClassesTitle')}</PageTitle>
      {route.params.get('baru') && <Alert kind="success">{t('registered')}</Alert>}
      <Loaded state={state}>
        {(items) =>
          items.length === 0 ? (
            <p class="empty">
              {t('noClasses')} <a href="#/">{t('navCatalogue')}</a>
            </p>
          ) : (
            <ul class="cards">
              {items.map(({ enrolment, course, sessions }) => {
                const next = sessions
                  .filter((s) => joinWindow(s, now) !== 'over')
                  .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
                return (
                  <li class="card" key={course.id}>
                    <div class="card-tags">
                      {enrolment.status === 'waitlisted' ? (
                        <Badge tone="warn">{t('waitlistBadge')}</Badge>
                      ) : (
                        <Badge tone="ok">{t('enrolledBadge')}</Badge>
                      )}
                    </div>
                    <h2 class="h3">
                      <a href={`#/kelas/${course.id}`}>{course.title}</a>
                    </h2>
                    {enrolment.status === 'waitlisted' ? (
                      <p>
                        {enrolment.waitlistPosition
                          ? t('waitlisted', { n: enrolment.waitlistPosition })
                          : t('waitlistedNoPos')}
                      </p>
                    ) : next ? (
                      <div class="next-session">
                        <p>
                          <strong>{t('nextSession')}:</strong> {next.title}
                          <br />
                          {formatRange(next.startsAt, next.endsAt)}
                        </p>
                        <JoinButton s={next} now={now} />
                      </div>
                    ) : (
                      <p class="muted">{t('sessionEnded')}</p>
                    )}
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loaded>
    </>
  );
}

export function MyCourse({ id }: Record<string, string>) {
  useLang();
  const now = useNow();
  const [msg, setMsg] = useState<string | null>(null);
  useParticipantOnly(id);
  const state = useLoad(async () => {
    const [course, sessions, attendance, materials] = await Promise.all([
      api.course(id!),
      api.courseSessions(id!).catch(() => [] as Session[]),
      api.myAttendance(id!).catch(() => null),
      api.materials(id!).catch(() => null),
    ]);
    return { course, sessions, attendance, materials };
  }, [id]);
  return (
    <Loaded state={state}>
      {({ course, sessions, attendance, materials }) => (
        <>
          <p>
            <a href="#/kelas">← {t('navMyClasses')}</a>
          </p>
          <PageTitle>{course.title}</PageTitle>
          <h2>{t('schedule')}</h2>
          <SessionList sessions={sessions} action={(s) => <JoinButton s={s} now={now} />} />
          <h2>{t('myAttendance')}</h2>
          {attendance ? (
            <>
              <p>
                {t('attendancePercent', {
                  p: Math.round(attendance.percent),
                  min: attendance.minAttendancePercent ?? course.certificate?.minAttendancePercent ?? 80,
                })}
              </p>
              <div
                class="meter"
                role="meter"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(attendance.percent)}
                aria-label={t('myAttendance')}
              >
                <span style={{ width: `${Math.min(100, attendance.percent)}%` }} />
              </div>
            </>
          ) : (
            <p class="muted">{t('none')}</p>
          )}
          <AssessmentPanelLazy courseId={id!} />
          <RecordingsPanelLazy courseId={id!} />
          <h2>{t('materials')}</h2>
          {msg && <Alert kind="error">{msg}</Alert>}
          {materials && materials.length ? (
            <ul class="plain">
              {materials.map((m) => (
                <li key={m.id}>
                  {m.filename}{' '}
                  <button
                    type="button"
                    class="link"
                    onClick={() => api.materialDownload(id!, m).catch((e: unknown) => setMsg(errorMessage(e)))}
                  >
                    {t('download')}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('noMaterials')}</p>
          )}
        </>
      )}
    </Loaded>
  );
}

export function Certificates() {
  useLang();
  const [msg, setMsg] = useState<string | null>(null);
  const state = useLoad(() => api.myCertificates(), []);
  return (
    <>
      <PageTitle>{t('certificatesTitle')}</PageTitle>
      {msg && <Alert kind="error">{msg}</Alert>}
      <Loaded state={state}>
        {(certs) =>
          certs.length === 0 ? (
            <p class="empty">{t('noCertificates')}</p>
          ) : (
            <ul class="cards">
              {certs.map((c) => (
                <li class="card" key={c.id}>
                  <h2 class="h3">{c.courseTitle}</h2>
                  <p>
                    {t('certNumber')}: {c.number}
                    <br />
                    {t('issuedAt')}: {formatDate(c.issuedAt)}
                  </p>
                  {c.status === 'revoked' && <Badge tone="warn">{t('certRevoked')}</Badge>}
                  <div class="row">
                    <button
                      type="button"
                      class="btn btn-primary"
                      onClick={() => api.certificatePdf(c.id).catch((e: unknown) => setMsg(errorMessage(e)))}
                    >
                      {t('downloadPdf')}
                    </button>
                    <a class="btn" href={`#/verifikasi/${c.verificationCode}`}>
                      {t('verifyLink')}
                    </a>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </>
  );
}
