/** Public screens: course catalogue with filters, and a course page with its schedule and "Daftar". */
import { useState } from 'preact/hooks';
import { api, ApiError, Course, Enrollment, meStore, Session } from '../api/client';
import { t, useLang } from '../i18n';
import { navigate, useRoute } from '../router';
import { useStore } from '../store';
import { formatDate, formatRange } from '../time';
import { Alert, Badge, Field, Loaded, PageTitle, useLoad, val } from '../ui';
import { errorMessage } from '../errors';

export const typeLabel = (type: string) => (type === 'sosialisasi' ? t('typeSosialisasi') : t('typePelatihan'));

function seats(c: Course): number {
  return c.seatsLeft ?? Math.max(0, c.capacity - (c.seatsTaken ?? 0));
}

export function CourseCard({ c }: { c: Course }) {
  const left = seats(c);
  return (
    <li class="card course-card">
      <div class="card-tags">
        <Badge tone="muted">{typeLabel(c.type)}</Badge>
        <Badge tone={c.status === 'published' ? 'ok' : c.status === 'ongoing' ? 'live' : 'muted'}>
          {t(`status_${c.status}`)}
        </Badge>
      </div>
      <h3>
        <a href={`#/kursus/${c.id}`}>{c.title}</a>
      </h3>
      <p class="muted">
        {c.category} · {c.code}
      </p>
      {c.nextSession && (
        <p data-testid="next-session">
          <strong>{t('nextSession')}:</strong> {c.nextSession.title}
          <br />
          {formatRange(c.nextSession.startsAt, c.nextSession.endsAt)}
        </p>
      )}
      <p class={left > 0 ? '' : 'warn-text'}>{left > 0 ? t('seatsLeft', { n: left }) : t('seatsFull')}</p>
    </li>
  );
}

export function Catalogue() {
  useLang();
  const route = useRoute();
  const [q, setQ] = useState(route.params.get('q') ?? '');
  const [type, setType] = useState(route.params.get('jenis') ?? '');
  const [filter, setFilter] = useState({ q, type });
  const state = useLoad(
    () => api.catalogue({ q: filter.q || undefined, type: filter.type || undefined }),
    [filter.q, filter.type],
  );
  return (
    <>
      <section class="hero" aria-labelledby="hero-title">
        <h1 id="hero-title" tabIndex={-1}>
          Balai
        </h1>
        <p>{t('tagline')}</p>
      </section>
      <h2>{t('catalogueTitle')}</h2>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ q: q.trim(), type });
        }}
      >
        <Field label={t('filterSearch')}>
          {({ id }) => (
            <input id={id} type="search" name="q" value={q} onInput={(e) => setQ(val(e))} autoComplete="off" />
          )}
        </Field>
        <Field label={t('filterType')}>
          {({ id }) => (
            <select
              id={id}
              name="type"
              value={type}
              onChange={(e) => {
                setType(val(e));
                setFilter({ q: q.trim(), type: val(e) });
              }}
            >
              <option value="">{t('filterAll')}</option>
              <option value="pelatihan">{t('typePelatihan')}</option>
              <option value="sosialisasi">{t('typeSosialisasi')}</option>
            </select>
          )}
        </Field>
        <button type="submit" class="btn">
          {t('applyFilter')}
        </button>
      </form>
      <Loaded state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="empty">{t('noCourses')}</p>
          ) : (
            <ul class="cards" aria-label={t('catalogueTitle')}>
              {page.items.map((c) => (
                <CourseCard key={c.id} c={c} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </>
  );
}

export function SessionList({
  sessions,
  action,
}: {
  sessions: Session[];
  action?: (s: Session) => preact.ComponentChildren;
}) {
  if (!sessions.length) return <p class="empty">{t('none')}</p>;
  return (
    <ol class="schedule">
      {[...sessions]
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
        .map((s) => (
          <li key={s.id} class={s.status === 'cancelled' ? 'cancelled' : ''}>
            <div>
              <strong>{s.title}</strong>
              <br />
              <span>{formatRange(s.startsAt, s.endsAt)}</span>{' '}
              {s.status !== 'scheduled' && (
                <Badge tone={s.status === 'live' ? 'live' : 'muted'}>
                  {t(`sstatus_${s.status}` as 'sstatus_live')}
                </Badge>
              )}
            </div>
            {action?.(s)}
          </li>
        ))}
    </ol>
  );
}

/** Over: completed or cancelled, or every session has been held (the API's schedule phase). */
export const courseOver = (c: Course) =>
  c.status === 'completed' || c.status === 'cancelled' || c.schedulePhase === 'over';

/** My place in this course: status, a way to the class, and cancelling (or leaving the waitlist). */
function MyPlace({
  course,
  enrolment,
  onChange,
}: {
  course: Course;
  enrolment: Pick<Enrollment, 'status' | 'waitlistPosition'>;
  onChange: (text: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const waitlisted = enrolment.status === 'waitlisted';
  return (
    <div class="card my-place" data-testid="my-enrolment" data-status={enrolment.status}>
      <p>
        {waitlisted ? <Badge tone="warn">{t('waitlistBadge')}</Badge> : <Badge tone="ok">{t('enrolledBadge')}</Badge>}{' '}
        {waitlisted
          ? enrolment.waitlistPosition
            ? t('waitlisted', { n: enrolment.waitlistPosition })
            : t('waitlistedNoPos')
          : t('enrolled')}
      </p>
      {error && <Alert kind="error">{error}</Alert>}
      <div class="row">
        {!waitlisted && (
          <a class="btn btn-primary" href={`#/kelas/${course.id}`}>
            {t('toMyClass')}
          </a>
        )}
        <button
          type="button"
          class="btn btn-danger"
          disabled={busy}
          onClick={async () => {
            if (!confirm(waitlisted ? t('leaveWaitlistConfirm') : t('cancelEnrolConfirm'))) return;
            setBusy(true);
            setError(null);
            try {
              await api.cancelEnrolment(course.id);
              onChange(waitlisted ? t('waitlistLeft') : t('enrolCancelled'));
            } catch (e) {
              setError(errorMessage(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          {waitlisted ? t('leaveWaitlist') : t('cancelEnrol')}
        </button>
      </div>
    </div>
  );
}

export function CoursePage({ id }: Record<string, string>) {
  useLang();
  const me = useStore(meStore);
  const participant = me?.role === 'participant';
  const state = useLoad(async () => {
    const [course, sessions] = await Promise.all([
      api.course(id!),
      api.courseSessions(id!).catch(() => [] as Session[]),
    ]);
    // The member view carries my enrolment; ask separately only if an older API left it out.
    const mine = !participant
      ? null
      : course.myEnrollment !== undefined
        ? course.myEnrollment
        : await api.myEnrolment(id!).catch(() => null);
    const enrolment = mine && (mine.status === 'enrolled' || mine.status === 'waitlisted') ? mine : null;
    return { course, sessions, enrolment };
  }, [id, me?.id]);
  const [result, setResult] = useState<{ kind: 'success' | 'warn' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function enrol() {
    if (!me) {
      navigate(`/masuk?lanjut=${encodeURIComponent(`/kursus/${id}`)}`);
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      const e = await api.enrol(id!);
      if (e.status === 'waitlisted') {
        const pos = e.waitlistPosition;
        setResult({ kind: 'warn', text: pos ? t('waitlisted', { n: pos }) : t('waitlistedNoPos') });
      } else setResult({ kind: 'success', text: t('enrolled') });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code !== 'COURSE_FULL')
        setResult({ kind: 'warn', text: errorMessage(err) });
      else setResult({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
      state.reload(); // seats left and my status, as the server now sees them
    }
  }

  return (
    <Loaded state={state}>
      {({ course: c, sessions, enrolment }) => {
        const over = courseOver(c);
        const open = c.enrollmentOpen;
        const left = seats(c);
        return (
          <article>
            <p>
              <a href="#/">← {t('navCatalogue')}</a>
            </p>
            <PageTitle>{c.title}</PageTitle>
            <div class="card-tags">
              <Badge>{typeLabel(c.type)}</Badge>
              <Badge tone={c.status === 'published' ? 'ok' : 'muted'}>{t(`status_${c.status}`)}</Badge>
              {c.type === 'pelatihan' && <Badge>{t('lessonHours', { n: c.lessonHours })}</Badge>}
            </div>
            <p class="muted">
              {c.category} · {c.code}
              {c.location ? ` · ${c.location}` : ''}
            </p>
            {c.description && <p class="prewrap">{c.description}</p>}
            <p>{t('regWindow', { from: formatDate(c.registrationOpensAt), to: formatDate(c.registrationClosesAt) })}</p>
            {!over && (
              <p data-testid="seats">
                {t('capacity', { n: c.capacity })} · {left > 0 ? t('seatsLeft', { n: left }) : t('seatsFull')}
              </p>
            )}
            {enrolment && (
              <>
                {result?.kind === 'error' && <Alert kind="error">{result.text}</Alert>}
                <MyPlace
                  course={c}
                  enrolment={enrolment}
                  onChange={(text) => {
                    setResult({ kind: 'success', text });
                    state.reload();
                  }}
                />
              </>
            )}
            <h2>{t('schedule')}</h2>
            <SessionList sessions={sessions} />
            {!enrolment && (
              <div class="sticky-cta">
                {result && <Alert kind={result.kind}>{result.text}</Alert>}
                {over ? (
                  <p class="muted" data-testid="course-over">
                    {t('courseOver')}
                  </p>
                ) : (
                  <>
                    {!open && <p class="muted">{t('enrolClosed')}</p>}
                    {!me && open && <p class="muted">{t('enrolLogin')}</p>}
                    {(!me || participant) && (
                      <button type="button" class="btn btn-primary btn-block" disabled={!open || busy} onClick={enrol}>
                        {t('enrol')}
                      </button>
                    )}
                  </>
                )}
              </div>
            )}
          </article>
        );
      }}
    </Loaded>
  );
}
