/**
 * Administrator screens (loaded on demand): courses and sessions (create,
 * schedule on a month calendar, publish, cancel), trainers, roster and
 * waitlist, attendance with CSV export, certificates with live progress and
 * revocation, and reports by sector and kecamatan.
 */
import { useEffect, useState } from 'preact/hooks';
import { SECTORS, Sector } from '@balai/domain';
import { api, Certificate, Course, IssueProgress, Session } from '../api/client';
import { errorMessage } from '../errors';
import { t, useLang } from '../i18n';
import { navigate } from '../router';
import { formatDate, formatRange, formatTime, fromJakartaInput, toJakartaInput } from '../time';
import { Alert, Badge, Field, Loaded, PageTitle, useLoad, val } from '../ui';
import { typeLabel } from './catalogue';
import { GoLiveButton, MaterialsPanel } from './trainer';
import { useNow } from './participant';

/** Short stays (a reconnect, a demo) still show: one decimal under 10 minutes. */
const minutes = (m: number) => (m < 10 ? m.toFixed(1).replace('.', ',') : String(Math.round(m)));

type Msg = { kind: 'error' | 'success' | 'info'; text: string } | null;

function Tabs({ tab }: { tab: string }) {
  const item = (key: string, label: string) => (
    <a href={`#/admin/${key}`} aria-current={tab === key ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav class="tabs" aria-label={t('adminTitle')}>
      {item('kursus', t('adminCourses'))}
      {item('kalender', t('adminCalendar'))}
      {item('pelatih', t('adminTrainers'))}
      {item('laporan', t('adminReports'))}
    </nav>
  );
}

export function AdminHome({ tab = 'kursus' }: Record<string, string>) {
  useLang();
  return (
    <>
      <PageTitle>{t('adminTitle')}</PageTitle>
      <Tabs tab={tab} />
      {tab === 'kursus' && <CoursesTab />}
      {tab === 'kalender' && <CalendarTab />}
      {tab === 'pelatih' && <TrainersTab />}
      {tab === 'laporan' && <ReportsTab />}
    </>
  );
}

function CoursesTab() {
  const [showNew, setShowNew] = useState(false);
  const state = useLoad(() => api.adminCourses({}), []);
  return (
    <>
      <div class="row">
        <button type="button" class="btn btn-primary" aria-expanded={showNew} onClick={() => setShowNew(!showNew)} data-testid="new-course">
          + {t('newCourse')}
        </button>
      </div>
      {showNew && <CourseForm onSaved={(c) => navigate(`/admin/kursus/${c.id}`)} />}
      <Loaded state={state}>
        {(p) => (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('code')}</th>
                  <th>{t('title')}</th>
                  <th>{t('filterStatus')}</th>
                  <th>{t('enrolledCount')}</th>
                </tr>
              </thead>
              <tbody>
                {p.items.map((c) => (
                  <tr key={c.id}>
                    <td>{c.code}</td>
                    <td>
                      <a href={`#/admin/kursus/${c.id}`}>{c.title}</a>
                    </td>
                    <td>{t(`status_${c.status}` as 'status_draft')}</td>
                    <td>
                      {c.seatsTaken}/{c.capacity}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </>
  );
}

function CourseForm({ course, onSaved }: { course?: Course; onSaved: (c: Course) => void }) {
  const trainers = useLoad(() => api.trainers(), []);
  const today = toJakartaInput(new Date());
  const [f, setF] = useState({
    code: course?.code ?? '',
    title: course?.title ?? '',
    description: course?.description ?? '',
    category: course?.category ?? '',
    type: course?.type ?? 'pelatihan',
    capacity: String(course?.capacity ?? 30),
    lessonHours: String(course?.lessonHours ?? 8),
    opens: course ? toJakartaInput(course.registrationOpensAt).date : today.date,
    closes: course ? toJakartaInput(course.registrationClosesAt).date : toJakartaInput(new Date(Date.now() + 14 * 86400_000)).date,
    minAttendance: String(course?.certificate?.minAttendancePercent ?? 80),
    location: course?.location ?? 'Daring (Balai)',
    trainerIds: course?.trainers?.map((x) => x.id) ?? course?.trainerIds ?? ([] as string[]),
  });
  const [msg, setMsg] = useState<Msg>(null);
  const [details, setDetails] = useState<Record<string, string[]>>({});
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: val(e as unknown as { currentTarget: EventTarget }) });
  const err = (k: string) => details[k]?.[0] ?? null;
  return (
    <form
      class="card"
      onSubmit={async (e) => {
        e.preventDefault();
        setMsg(null);
        setDetails({});
        const body = {
          code: f.code.trim(),
          title: f.title.trim(),
          description: f.description,
          category: f.category.trim(),
          type: f.type,
          capacity: Number(f.capacity),
          lessonHours: Number(f.lessonHours),
          registrationOpensAt: fromJakartaInput(f.opens, '00:00'),
          registrationClosesAt: fromJakartaInput(f.closes, '23:59'),
          certificate: { minAttendancePercent: Number(f.minAttendance) },
          location: f.location.trim() || undefined,
          trainerIds: f.trainerIds,
        };
        try {
          const saved = course ? await api.updateCourse(course.id, body) : await api.createCourse(body);
          setMsg({ kind: 'success', text: t('created') });
          onSaved(saved);
        } catch (error) {
          const d = (error as { details?: Record<string, string[]> }).details;
          if (d) setDetails(d);
          setMsg({ kind: 'error', text: errorMessage(error) });
        }
      }}
    >
      <h2>{course ? course.title : t('newCourse')}</h2>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <Field label={t('code')} error={err('code')}>{({ id }) => <input id={id} name="code" value={f.code} onInput={set('code')} required />}</Field>
      <Field label={t('title')} error={err('title')}>{({ id }) => <input id={id} name="title" value={f.title} onInput={set('title')} required />}</Field>
      <Field label={t('category')} error={err('category')}>{({ id }) => <input id={id} name="category" value={f.category} onInput={set('category')} required />}</Field>
      <Field label={t('type')}>
        {({ id }) => (
          <select id={id} name="type" value={f.type} onChange={set('type')}>
            <option value="pelatihan">{t('typePelatihan')}</option>
            <option value="sosialisasi">{t('typeSosialisasi')}</option>
          </select>
        )}
      </Field>
      <Field label={t('description')}>{({ id }) => <textarea id={id} name="description" rows={3} value={f.description} onInput={set('description')} />}</Field>
      <div class="row">
        <Field label={t('capacity', { n: '' }).trim()} error={err('capacity')}>{({ id }) => <input id={id} name="capacity" type="number" min={1} value={f.capacity} onInput={set('capacity')} />}</Field>
        <Field label="JP" error={err('lessonHours')}>{({ id }) => <input id={id} name="lessonHours" type="number" min={0} value={f.lessonHours} onInput={set('lessonHours')} />}</Field>
        <Field label={t('minAttendance')}>{({ id }) => <input id={id} name="minAttendance" type="number" min={0} max={100} value={f.minAttendance} onInput={set('minAttendance')} />}</Field>
      </div>
      <div class="row">
        <Field label={`${t('regOpens')} (WIB)`} error={err('registrationOpensAt')}>{({ id }) => <input id={id} name="opens" type="date" value={f.opens} onInput={set('opens')} />}</Field>
        <Field label={`${t('regCloses')} (WIB)`} error={err('registrationClosesAt')}>{({ id }) => <input id={id} name="closes" type="date" value={f.closes} onInput={set('closes')} />}</Field>
      </div>
      <Field label={t('location')}>{({ id }) => <input id={id} name="location" value={f.location} onInput={set('location')} />}</Field>
      <fieldset>
        <legend>{t('trainers')}</legend>
        <Loaded state={trainers}>
          {(list) => (
            <>
              {list.map((tr) => (
                <label class="check" key={tr.id}>
                  <input
                    type="checkbox"
                    name="trainer"
                    value={tr.id}
                    checked={f.trainerIds.includes(tr.id)}
                    onChange={(e) =>
                      setF({ ...f, trainerIds: e.currentTarget.checked ? [...f.trainerIds, tr.id] : f.trainerIds.filter((x) => x !== tr.id) })
                    }
                  />
                  {tr.name} <span class="muted">({tr.email})</span>
                </label>
              ))}
            </>
          )}
        </Loaded>
      </fieldset>
      <button type="submit" class="btn btn-primary">
        {t('save')}
      </button>
    </form>
  );
}

function CalendarTab() {
  const now = new Date();
  const [month, setMonth] = useState(() => toJakartaInput(now).date.slice(0, 7)); // YYYY-MM in WIB
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1) - 7 * 3600_000);
  const last = new Date(Date.UTC(y, m, 1) - 7 * 3600_000);
  const state = useLoad(() => api.sessionsBetween(first.toISOString(), last.toISOString()), [month]);
  const shift = (d: number) => {
    const dt = new Date(Date.UTC(y, m - 1 + d, 1));
    setMonth(dt.toISOString().slice(0, 7));
  };
  const startWeekday = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7; // Monday first
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return (
    <>
      <div class="row">
        <button type="button" class="btn" onClick={() => shift(-1)} aria-label={t('prevMonth')}>
          ←
        </button>
        <h2 style={{ margin: 0 }}>{formatDate(new Date(Date.UTC(y, m - 1, 15))).replace(/^\S+,?\s*\d+\s*/, '')}</h2>
        <button type="button" class="btn" onClick={() => shift(1)} aria-label={t('nextMonth')}>
          →
        </button>
      </div>
      <Loaded state={state}>
        {(sessions) => (
          <div class="calendar" role="grid">
            {t('weekdays').split(',').map((d) => (
              <div key={d} role="columnheader">
                <strong>{d}</strong>
              </div>
            ))}
            {Array.from({ length: startWeekday }, (_, i) => (
              <div key={`b${i}`} class="day other" />
            ))}
            {Array.from({ length: days }, (_, i) => {
              const date = `${month}-${String(i + 1).padStart(2, '0')}`;
              const todays = sessions.filter((s) => toJakartaInput(s.startsAt).date === date);
              return (
                <div key={date} class="day" role="gridcell">
                  {i + 1}
                  {todays.map((s) => (
                    <a key={s.id} class="ev" href={`#/admin/kursus/${s.courseId}`} title={`${s.title} ${formatTime(s.startsAt)}`}>
                      {formatTime(s.startsAt).replace(' WIB', '')} {s.title}
                    </a>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </Loaded>
    </>
  );
}

function TrainersTab() {
  const state = useLoad(() => api.trainers(), []);
  const [f, setF] = useState({ name: '', email: '', password: '' });
  const [msg, setMsg] = useState<Msg>(null);
  return (
    <>
      <Loaded state={state}>
        {(list) => (
          <ul class="plain">
            {list.map((u) => (
              <li key={u.id}>
                {u.name} <span class="muted">{u.email}</span>
              </li>
            ))}
          </ul>
        )}
      </Loaded>
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          setMsg(null);
          try {
            await api.createUser({ ...f, role: 'trainer' });
            setMsg({ kind: 'success', text: t('created') });
            setF({ name: '', email: '', password: '' });
            state.reload();
          } catch (err) {
            setMsg({ kind: 'error', text: errorMessage(err) });
          }
        }}
      >
        <h2>{t('newTrainer')}</h2>
        {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
        <Field label={t('name')}>{({ id }) => <input id={id} value={f.name} onInput={(e) => setF({ ...f, name: val(e) })} required />}</Field>
        <Field label={t('email')}>{({ id }) => <input id={id} type="email" value={f.email} onInput={(e) => setF({ ...f, email: val(e) })} required />}</Field>
        <Field label={t('password')} hint={t('passwordHint')}>
          {({ id, describedBy }) => <input id={id} type="password" autoComplete="new-password" value={f.password} onInput={(e) => setF({ ...f, password: val(e) })} aria-describedby={describedBy} required />}
        </Field>
        <button type="submit" class="btn btn-primary">
          {t('save')}
        </button>
      </form>
    </>
  );
}

function ReportTable({ dimension }: { dimension: 'sector' | 'kecamatan' }) {
  const lang = useLang();
  const state = useLoad(() => api.reportBy(dimension), [dimension]);
  const [msg, setMsg] = useState<string | null>(null);
  const label = (key: string, fallback?: string) => (dimension === 'sector' && key in SECTORS ? SECTORS[key as Sector][lang] : fallback ?? key);
  return (
    <section>
      <div class="row">
        <h2 class="grow">{dimension === 'sector' ? t('bySector') : t('byKecamatan')}</h2>
        <button type="button" class="btn" onClick={() => api.reportCsv(dimension).catch((e: unknown) => setMsg(errorMessage(e)))}>
          {t('exportCsv')}
        </button>
      </div>
      {msg && <Alert kind="error">{msg}</Alert>}
      <Loaded state={state}>
        {(rows) => (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{dimension === 'sector' ? t('sector') : t('kecamatan')}</th>
                  <th>{t('enrolledCount')}</th>
                  <th>{t('attendedCount')}</th>
                  <th>{t('metCount')}</th>
                  <th>{t('certifiedCount')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.group}>
                    <td>{label(r.group, r.label)}</td>
                    <td>{r.participants}</td>
                    <td>{r.attendedAtLeastOnce}</td>
                    <td>{r.metThreshold}</td>
                    <td>{r.certified}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </section>
  );
}

function ReportsTab() {
  return (
    <>
      <ReportTable dimension="sector" />
      <ReportTable dimension="kecamatan" />
    </>
  );
}

// ---------- one course ----------

export function AdminCourse({ id }: Record<string, string>) {
  useLang();
  const state = useLoad(async () => ({ course: await api.course(id!), sessions: await api.courseSessions(id!) }), [id]);
  const [msg, setMsg] = useState<Msg>(null);
  const [edit, setEdit] = useState(false);
  const setStatus = async (status: Course['status']) => {
    setMsg(null);
    try {
      await api.setCourseStatus(id!, status);
      state.reload();
      setMsg({ kind: 'success', text: t('created') });
    } catch (e) {
      setMsg({ kind: 'error', text: errorMessage(e) });
    }
  };
  return (
    <Loaded state={state}>
      {({ course, sessions }) => (
        <>
          <p>
            <a href="#/admin/kursus">← {t('adminCourses')}</a>
          </p>
          <PageTitle>{course.title}</PageTitle>
          <div class="card-tags">
            <Badge>{course.code}</Badge>
            <Badge>{typeLabel(course.type)}</Badge>
            <Badge tone={course.status === 'published' ? 'ok' : 'muted'}>{t(`status_${course.status}` as 'status_draft')}</Badge>
          </div>
          {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
          <div class="row">
            {course.status === 'draft' && (
              <button type="button" class="btn btn-primary" data-testid="publish" onClick={() => void setStatus('published')}>
                {t('publish')}
              </button>
            )}
            {course.status === 'ongoing' && (
              <button type="button" class="btn" onClick={() => void setStatus('completed')}>
                {t('markCompleted')}
              </button>
            )}
            {(course.status === 'draft' || course.status === 'published' || course.status === 'ongoing') && (
              <button
                type="button"
                class="btn btn-danger"
                onClick={() => {
                  if (confirm(`${t('cancelCourse')}?`)) void setStatus('cancelled');
                }}
              >
                {t('cancelCourse')}
              </button>
            )}
            <button type="button" class="btn" aria-expanded={edit} onClick={() => setEdit(!edit)}>
              ✎ {t('save')}…
            </button>
          </div>
          {edit && (
            <CourseForm
              course={course}
              onSaved={() => {
                setEdit(false);
                state.reload();
              }}
            />
          )}
          <SessionsPanel courseId={course.id} sessions={sessions} reload={state.reload} />
          <RosterPanel courseId={course.id} />
          <AttendancePanel sessions={sessions} />
          <CertificatesPanel courseId={course.id} />
          <MaterialsPanel courseId={course.id} canUpload />
        </>
      )}
    </Loaded>
  );
}

function SessionsPanel({ courseId, sessions, reload }: { courseId: string; sessions: Session[]; reload: () => void }) {
  const now = useNow();
  const tomorrow = toJakartaInput(new Date(Date.now() + 86400_000)).date;
  const [f, setF] = useState({ title: `Sesi ${sessions.length + 1}`, date: tomorrow, start: '09:00', end: '12:00' });
  const [msg, setMsg] = useState<Msg>(null);
  return (
    <section aria-labelledby="sessions-h">
      <h2 id="sessions-h">{t('sessions')}</h2>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <ol class="schedule">
        {[...sessions]
          .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
          .map((s) => (
            <li key={s.id} class={s.status === 'cancelled' ? 'cancelled' : ''}>
              <div>
                <strong>{s.title}</strong>
                <br />
                {formatRange(s.startsAt, s.endsAt)} <Badge>{t(`sstatus_${s.status}` as 'sstatus_live')}</Badge>
              </div>
              <div class="row">
                <GoLiveButton s={s} now={now} />
                {s.status === 'scheduled' && (
                  <button
                    type="button"
                    class="btn btn-danger"
                    onClick={async () => {
                      if (!confirm(`${t('cancelSession')}?`)) return;
                      try {
                        await api.cancelSession(s.id);
                        reload();
                      } catch (e) {
                        setMsg({ kind: 'error', text: errorMessage(e) });
                      }
                    }}
                  >
                    {t('cancelSession')}
                  </button>
                )}
              </div>
            </li>
          ))}
      </ol>
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          setMsg(null);
          try {
            await api.createSession(courseId, { title: f.title.trim(), startsAt: fromJakartaInput(f.date, f.start), endsAt: fromJakartaInput(f.date, f.end) });
            setMsg({ kind: 'success', text: t('created') });
            reload();
          } catch (err) {
            setMsg({ kind: 'error', text: errorMessage(err) });
          }
        }}
      >
        <h3>{t('newSession')}</h3>
        <Field label={t('title')}>{({ id }) => <input id={id} name="sessionTitle" value={f.title} onInput={(e) => setF({ ...f, title: val(e) })} required />}</Field>
        <div class="row">
          <Field label={`${t('date')} (WIB)`}>{({ id }) => <input id={id} name="sessionDate" type="date" value={f.date} onInput={(e) => setF({ ...f, date: val(e) })} required />}</Field>
          <Field label={`${t('start')} (WIB)`}>{({ id }) => <input id={id} name="sessionStart" type="time" value={f.start} onInput={(e) => setF({ ...f, start: val(e) })} required />}</Field>
          <Field label={`${t('end')} (WIB)`}>{({ id }) => <input id={id} name="sessionEnd" type="time" value={f.end} onInput={(e) => setF({ ...f, end: val(e) })} required />}</Field>
        </div>
        <button type="submit" class="btn btn-primary" data-testid="add-session">
          {t('newSession')}
        </button>
      </form>
    </section>
  );
}

function RosterPanel({ courseId }: { courseId: string }) {
  const state = useLoad(() => api.roster(courseId), [courseId]);
  const table = (rows: NonNullable<typeof state.data>['enrolled'], waitlist: boolean) => (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            {waitlist && <th>#</th>}
            <th>{t('name')}</th>
            <th>{t('businessName')}</th>
            <th>{t('kecamatan')}</th>
            <th>{t('whatsapp')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.enrollmentId}>
              {waitlist && <td>{i + 1}</td>}
              <td>{r.name}</td>
              <td>{r.businessName ?? ''}</td>
              <td>{r.kecamatan ?? ''}</td>
              <td>{r.whatsapp ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section>
      <Loaded state={state}>
        {(r) => (
          <>
            <h2>
              {t('roster')} ({r.enrolled.length}/{r.capacity})
            </h2>
            {r.enrolled.length ? table(r.enrolled, false) : <p class="muted">{t('none')}</p>}
            <h3>
              {t('waitlist')} ({r.waitlist.length})
            </h3>
            {r.waitlist.length ? table(r.waitlist, true) : <p class="muted">{t('none')}</p>}
          </>
        )}
      </Loaded>
    </section>
  );
}

function AttendancePanel({ sessions }: { sessions: Session[] }) {
  const [sel, setSel] = useState(sessions[0]?.id ?? '');
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    if (!sel && sessions[0]) setSel(sessions[0].id);
  }, [sessions.length]);
  const state = useLoad(() => (sel ? api.sessionAttendance(sel) : Promise.resolve([])), [sel]);
  return (
    <section>
      <h2>{t('attendance')}</h2>
      <div class="row">
        <Field label={t('sessions')}>
          {({ id }) => (
            <select id={id} value={sel} onChange={(e) => setSel(val(e))}>
              {sessions.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title} — {formatDate(s.startsAt)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {sel && (
          <button type="button" class="btn" onClick={() => api.sessionAttendanceCsv(sel).catch((e: unknown) => setMsg(errorMessage(e)))}>
            {t('exportCsv')}
          </button>
        )}
      </div>
      {msg && <Alert kind="error">{msg}</Alert>}
      <Loaded state={state}>
        {(rows) =>
          rows.length ? (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('name')}</th>
                    <th>{t('businessName')}</th>
                    <th>{t('attendance')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.userId}>
                      <td>{r.name ?? r.userId}</td>
                      <td>{r.businessName ?? ''}</td>
                      <td>
                        {minutes(r.attendedMinutes)} min{r.percent !== undefined ? ` (${Math.round(r.percent)}%)` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="muted">{t('none')}</p>
          )
        }
      </Loaded>
    </section>
  );
}

function CertificatesPanel({ courseId }: { courseId: string }) {
  const list = useLoad(() => api.courseCertificates(courseId), [courseId]);
  const [progress, setProgress] = useState<IssueProgress | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  useEffect(() => {
    if (!progress || progress.state !== 'running') return;
    const timer = setInterval(async () => {
      try {
        const p = await api.issueProgress(courseId);
        setProgress(p);
        if (p.state !== 'running') list.reload();
      } catch {
        /* keep polling */
      }
    }, 1500);
    return () => clearInterval(timer);
  }, [progress?.state]);
  const pct = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <section>
      <h2>{t('certificates')}</h2>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <button
        type="button"
        class="btn btn-primary"
        data-testid="issue-certificates"
        onClick={async () => {
          setMsg(null);
          try {
            const p = await api.issueCertificates(courseId);
            setProgress({ ...p, state: p.state === 'idle' && (p.enqueued ?? 0) > 0 ? 'running' : p.state });
          } catch (e) {
            setMsg({ kind: 'error', text: errorMessage(e) });
          }
        }}
      >
        {t('issueCertificates')}
      </button>
      {progress && (
        <div aria-live="polite" data-testid="issue-progress" data-state={progress.state}>
          <p>{progress.state === 'running' ? t('issuing', { done: progress.done, total: progress.total }) : t('issueDone', { n: progress.done })}</p>
          <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <span style={{ width: `${pct}%` }} />
          </div>
          {progress.failures?.length ? <Alert kind="error">{progress.failures.map((f) => f.reason).join('; ')}</Alert> : null}
        </div>
      )}
      <Loaded state={list}>
        {(certs) =>
          certs.length ? (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('certNumber')}</th>
                    <th>{t('holder')}</th>
                    <th>{t('filterStatus')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {certs.map((c: Certificate) => (
                    <tr key={c.id}>
                      <td>{c.number}</td>
                      <td>{c.participantName}</td>
                      <td>{c.status === 'valid' ? <Badge tone="ok">{t('certValid')}</Badge> : <Badge tone="warn">{t('certRevoked')}</Badge>}</td>
                      <td>
                        {c.status === 'valid' && (
                          <button
                            type="button"
                            class="btn btn-danger"
                            onClick={async () => {
                              const reason = prompt(t('revokeReason'));
                              if (!reason || reason.trim().length < 3) return;
                              try {
                                await api.revokeCertificate(c.id, reason.trim());
                                list.reload();
                              } catch (e) {
                                setMsg({ kind: 'error', text: errorMessage(e) });
                              }
                            }}
                          >
                            {t('revoke')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="muted">{t('none')}</p>
          )
        }
      </Loaded>
    </section>
  );
}
