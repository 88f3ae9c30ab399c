/**
 * Sessions of one month in WIB: a month grid on wide screens, an agenda list on
 * a phone (a 7-column grid is unreadable at 360 px). Each entry names its course.
 */
import { useState } from 'preact/hooks';
import { api, CalendarSession } from '../../api/client';
import { t } from '../../i18n';
import { formatDate, formatShortDate, formatTime, toJakartaInput } from '../../time';
import { Loaded, useLoad } from '../../ui';

const hhmm = (iso: string) => formatTime(iso).replace(' WIB', '');

export function CalendarTab() {
  const [month, setMonth] = useState(() => toJakartaInput(new Date()).date.slice(0, 7)); // YYYY-MM in WIB
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1) - 7 * 3600_000);
  const last = new Date(Date.UTC(y, m, 1) - 7 * 3600_000);
  const state = useLoad(() => api.sessionsBetween(first.toISOString(), last.toISOString()), [month]);
  const shift = (d: number) => setMonth(new Date(Date.UTC(y, m - 1 + d, 1)).toISOString().slice(0, 7));
  const startWeekday = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7; // Monday first
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const monthName = formatDate(new Date(Date.UTC(y, m - 1, 15))).replace(/^\S+,?\s*\d+\s*/, '');
  return (
    <>
      <div class="row">
        <button type="button" class="btn" onClick={() => shift(-1)} aria-label={t('prevMonth')}>
          ←
        </button>
        <h2 style={{ margin: 0 }} data-testid="calendar-month">
          {monthName}
        </h2>
        <button type="button" class="btn" onClick={() => shift(1)} aria-label={t('nextMonth')}>
          →
        </button>
      </div>
      <Loaded state={state}>
        {(sessions) => {
          const byDate = new Map<string, CalendarSession[]>();
          for (const s of sessions) {
            const date = toJakartaInput(s.startsAt).date;
            byDate.set(date, [...(byDate.get(date) ?? []), s]);
          }
          const label = (s: CalendarSession) =>
            `${hhmm(s.startsAt)}–${hhmm(s.endsAt)} WIB · ${s.courseTitle} · ${s.title}`;
          return (
            <>
              <div class="calendar" role="grid" aria-label={monthName}>
                {t('weekdays')
                  .split(',')
                  .map((d) => (
                    <div key={d} role="columnheader">
                      <strong>{d}</strong>
                    </div>
                  ))}
                {Array.from({ length: startWeekday }, (_, i) => (
                  <div key={`b${i}`} class="day other" />
                ))}
                {Array.from({ length: days }, (_, i) => {
                  const date = `${month}-${String(i + 1).padStart(2, '0')}`;
                  return (
                    <div key={date} class="day" role="gridcell">
                      {i + 1}
                      {(byDate.get(date) ?? []).map((s) => (
                        <a key={s.id} class="ev" href={`#/admin/kursus/${s.courseId}`} title={label(s)}>
                          {hhmm(s.startsAt)} {s.courseTitle}
                          <small>{s.title}</small>
                        </a>
                      ))}
                    </div>
                  );
                })}
              </div>
              {sessions.length ? (
                <ul class="agenda" data-testid="agenda">
                  {[...byDate.entries()].map(([date, list]) => (
                    <li key={date}>
                      <h3>{formatShortDate(list[0]!.startsAt)}</h3>
                      {list.map((s) => (
                        <a key={s.id} href={`#/admin/kursus/${s.courseId}`}>
                          <strong>
                            {hhmm(s.startsAt)}–{hhmm(s.endsAt)} WIB
                          </strong>{' '}
                          {s.courseTitle}
                          <br />
                          <span class="muted">{s.title}</span>
                        </a>
                      ))}
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="agenda muted">{t('calendarEmpty')}</p>
              )}
            </>
          );
        }}
      </Loaded>
    </>
  );
}
