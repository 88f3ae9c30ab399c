/** Create or edit a course (title, type, seats, registration window, attendance rule, recording, trainers). */
import { useState } from 'preact/hooks';
import { DEFAULT_MIN_ATTENDANCE_PERCENT } from '@balai/domain';
import { api, Course, CreateCourse } from '../../api/client';
import { errorMessage } from '../../errors';
import { t } from '../../i18n';
import { fromJakartaInput, toJakartaInput } from '../../time';
import { Alert, Field, Loaded, useLoad, val } from '../../ui';
import type { Msg } from './shared';

export function CourseForm({ course, onSaved }: { course?: Course; onSaved: (c: Course) => void }) {
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
    closes: course
      ? toJakartaInput(course.registrationClosesAt).date
      : toJakartaInput(new Date(Date.now() + 14 * 86400_000)).date,
    minAttendance: String(course?.certificate.minAttendancePercent ?? DEFAULT_MIN_ATTENDANCE_PERCENT),
    location: course?.location ?? 'Daring (Balai)',
    trainerIds: course?.trainers.map((x) => x.id) ?? ([] as string[]),
    autoRecord: course?.autoRecord ?? false,
  });
  const [msg, setMsg] = useState<Msg>(null);
  const [details, setDetails] = useState<Record<string, string[]>>({});
  const set = (k: keyof typeof f) => (e: Event) =>
    setF({ ...f, [k]: val(e as unknown as { currentTarget: EventTarget }) });
  const err = (k: string) => details[k]?.[0] ?? null;
  return (
    <form
      class="card"
      onSubmit={async (e) => {
        e.preventDefault();
        setMsg(null);
        setDetails({});
        const body: CreateCourse = {
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
          autoRecord: f.autoRecord,
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
      <h2>{course ? `${t('edit')}: ${course.title}` : t('newCourse')}</h2>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <Field label={t('code')} error={err('code')}>
        {({ id }) => <input id={id} name="code" value={f.code} onInput={set('code')} required />}
      </Field>
      <Field label={t('title')} error={err('title')}>
        {({ id }) => <input id={id} name="title" value={f.title} onInput={set('title')} required />}
      </Field>
      <Field label={t('category')} error={err('category')}>
        {({ id }) => <input id={id} name="category" value={f.category} onInput={set('category')} required />}
      </Field>
      <Field label={t('type')}>
        {({ id }) => (
          <select id={id} name="type" value={f.type} onChange={set('type')}>
            <option value="pelatihan">{t('typePelatihan')}</option>
            <option value="sosialisasi">{t('typeSosialisasi')}</option>
          </select>
        )}
      </Field>
      <Field label={t('description')}>
        {({ id }) => (
          <textarea id={id} name="description" rows={3} value={f.description} onInput={set('description')} />
        )}
      </Field>
      <div class="row">
        <Field label={t('capacity', { n: '' }).trim()} error={err('capacity')}>
          {({ id }) => (
            <input id={id} name="capacity" type="number" min={1} value={f.capacity} onInput={set('capacity')} />
          )}
        </Field>
        <Field label="JP" error={err('lessonHours')}>
          {({ id }) => (
            <input
              id={id}
              name="lessonHours"
              type="number"
              min={0}
              value={f.lessonHours}
              onInput={set('lessonHours')}
            />
          )}
        </Field>
        <Field label={t('minAttendance')}>
          {({ id }) => (
            <input
              id={id}
              name="minAttendance"
              type="number"
              min={0}
              max={100}
              value={f.minAttendance}
              onInput={set('minAttendance')}
            />
          )}
        </Field>
      </div>
      <div class="row">
        <Field label={`${t('regOpens')} (WIB)`} error={err('registrationOpensAt')}>
          {({ id }) => <input id={id} name="opens" type="date" value={f.opens} onInput={set('opens')} />}
        </Field>
        <Field label={`${t('regCloses')} (WIB)`} error={err('registrationClosesAt')}>
          {({ id }) => <input id={id} name="closes" type="date" value={f.closes} onInput={set('closes')} />}
        </Field>
      </div>
      <Field label={t('location')}>
        {({ id }) => <input id={id} name="location" value={f.location} onInput={set('location')} />}
      </Field>
      <label class="check">
        <input
          type="checkbox"
          name="autoRecord"
          checked={f.autoRecord}
          onChange={(e) => setF({ ...f, autoRecord: e.currentTarget.checked })}
        />
        {t('recAutoRecord')}
      </label>
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
                      setF({
                        ...f,
                        trainerIds: e.currentTarget.checked
                          ? [...f.trainerIds, tr.id]
                          : f.trainerIds.filter((x) => x !== tr.id),
                      })
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
