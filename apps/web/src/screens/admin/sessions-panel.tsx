/** A course's sessions (start, cancel) and "Tambah sesi". */
import { useState } from 'preact/hooks';
import { api, Session } from '../../api/client';
import { errorMessage } from '../../errors';
import { t } from '../../i18n';
import { fromJakartaInput, toJakartaInput } from '../../time';
import { Alert, Field, val } from '../../ui';
import { SessionList } from '../catalogue';
import { useNow } from '../participant';
import { GoLiveButton } from '../trainer';
import type { Msg } from './shared';

/** `canAdd`: false once the course is completed or cancelled (no new sessions then). */
export function SessionsPanel({
  courseId,
  sessions,
  reload,
  canAdd,
}: {
  courseId: string;
  sessions: Session[];
  reload: () => void;
  canAdd: boolean;
}) {
  const now = useNow();
  const tomorrow = toJakartaInput(new Date(Date.now() + 86400_000)).date;
  const [f, setF] = useState({ title: `Sesi ${sessions.length + 1}`, date: tomorrow, start: '09:00', end: '12:00' });
  const [msg, setMsg] = useState<Msg>(null);
  const cancel = async (s: Session) => {
    if (!confirm(`${t('cancelSession')}?`)) return;
    try {
      await api.cancelSession(s.id);
      reload();
    } catch (e) {
      setMsg({ kind: 'error', text: errorMessage(e) });
    }
  };
  return (
    <section aria-labelledby="sessions-h">
      <h2 id="sessions-h">{t('sessions')}</h2>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <SessionList
        sessions={sessions}
        action={(s) => (
          <div class="row">
            <GoLiveButton s={s} now={now} />
            {s.status === 'scheduled' && (
              <button type="button" class="btn btn-danger" onClick={() => void cancel(s)}>
                {t('cancelSession')}
              </button>
            )}
          </div>
        )}
      />
      {canAdd && (
        <form
          class="card"
          onSubmit={async (e) => {
            e.preventDefault();
            setMsg(null);
            try {
              await api.createSession(courseId, {
                title: f.title.trim(),
                startsAt: fromJakartaInput(f.date, f.start),
                endsAt: fromJakartaInput(f.date, f.end),
              });
              setMsg({ kind: 'success', text: t('created') });
              reload();
            } catch (err) {
              setMsg({ kind: 'error', text: errorMessage(err) });
            }
          }}
        >
          <h3>{t('newSession')}</h3>
          <Field label={t('title')}>
            {({ id }) => (
              <input
                id={id}
                name="sessionTitle"
                value={f.title}
                onInput={(e) => setF({ ...f, title: val(e) })}
                required
              />
            )}
          </Field>
          <div class="row">
            <Field label={`${t('date')} (WIB)`}>
              {({ id }) => (
                <input
                  id={id}
                  name="sessionDate"
                  type="date"
                  value={f.date}
                  onInput={(e) => setF({ ...f, date: val(e) })}
                  required
                />
              )}
            </Field>
            <Field label={`${t('start')} (WIB)`}>
              {({ id }) => (
                <input
                  id={id}
                  name="sessionStart"
                  type="time"
                  value={f.start}
                  onInput={(e) => setF({ ...f, start: val(e) })}
                  required
                />
              )}
            </Field>
            <Field label={`${t('end')} (WIB)`}>
              {({ id }) => (
                <input
                  id={id}
                  name="sessionEnd"
                  type="time"
                  value={f.end}
                  onInput={(e) => setF({ ...f, end: val(e) })}
                  required
                />
              )}
            </Field>
          </div>
          <button type="submit" class="btn btn-primary" data-testid="add-session">
            {t('newSession')}
          </button>
        </form>
      )}
    </section>
  );
}
