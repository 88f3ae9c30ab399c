/** Attendance of one session (minutes and % of the time it was held), with CSV export. */
import { useEffect, useState } from 'preact/hooks';
import { api, AttendanceRow, Session } from '../../api/client';
import { errorMessage } from '../../errors';
import { t } from '../../i18n';
import { DataTable } from '../../table';
import { formatDate } from '../../time';
import { Alert, Field, Loaded, useLoad, val } from '../../ui';
import { minutes } from './shared';

export function AttendancePanel({ sessions }: { sessions: Session[] }) {
  const [sel, setSel] = useState(sessions[0]?.id ?? '');
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    if (!sel && sessions[0]) setSel(sessions[0].id);
  }, [sessions.length]);
  const state = useLoad(() => (sel ? api.sessionAttendance(sel) : Promise.resolve([] as AttendanceRow[])), [sel]);
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
          <button
            type="button"
            class="btn"
            onClick={() => api.sessionAttendanceCsv(sel).catch((e: unknown) => setMsg(errorMessage(e)))}
          >
            {t('exportCsv')}
          </button>
        )}
      </div>
      {msg && <Alert kind="error">{msg}</Alert>}
      <Loaded state={state}>
        {(rows) => (
          <DataTable<AttendanceRow>
            rows={rows}
            rowKey={(r) => r.userId}
            testId="session-attendance"
            columns={[
              { header: t('name'), cell: (r) => r.name },
              { header: t('businessName'), cell: (r) => r.businessName ?? '' },
              {
                header: t('attendance'),
                numeric: true,
                cell: (r) =>
                  `${t('attendedMinutes', { m: minutes(r.attendedMinutes), t: minutes(r.scheduledMinutes) })} (${Math.round(r.percent)}%)`,
              },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}
