/** Trainers and "Pelatih baru". */
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { errorMessage } from '../../errors';
import { t } from '../../i18n';
import { Alert, Field, Loaded, useLoad, val } from '../../ui';
import type { Msg } from './shared';

export function TrainersTab() {
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
        <Field label={t('name')}>
          {({ id }) => <input id={id} value={f.name} onInput={(e) => setF({ ...f, name: val(e) })} required />}
        </Field>
        <Field label={t('email')}>
          {({ id }) => (
            <input id={id} type="email" value={f.email} onInput={(e) => setF({ ...f, email: val(e) })} required />
          )}
        </Field>
        <Field label={t('password')} hint={t('passwordHint')}>
          {({ id, describedBy }) => (
            <input
              id={id}
              type="password"
              autoComplete="new-password"
              value={f.password}
              onInput={(e) => setF({ ...f, password: val(e) })}
              aria-describedby={describedBy}
              required
            />
          )}
        </Field>
        <button type="submit" class="btn btn-primary">
          {t('save')}
        </button>
      </form>
    </>
  );
}
