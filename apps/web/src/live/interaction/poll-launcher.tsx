/** Hosts and moderators: launch a poll prepared on the course page, or make one on the fly. */
import { useState } from 'preact/hooks';
import { POLL_MAX_OPTIONS, POLL_MIN_OPTIONS } from '@balai/live-contract';
import { t } from '../../i18n';
import type { LiveState } from '../room-state';
import { openPoll } from './interaction-state';
import type { InteractionActions } from './use-interaction';

export function PollLauncher({ s, actions }: { s: LiveState; actions: InteractionActions }) {
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState('');
  const [multiple, setMultiple] = useState(false);
  const [allowChange, setAllowChange] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const running = openPoll(s.interaction);
  const fail = () => setError(t('errGeneric'));
  return (
    <details class="poll-launcher" data-testid="poll-launcher">
      <summary>{t('pollTitle')}</summary>
      {running && <p class="muted">{t('pollOneOpen')}</p>}
      {s.interaction.prepared.length > 0 && (
        <>
          <h3 class="h3">{t('pollPrepared')}</h3>
          <ul class="poll-prepared">
            {s.interaction.prepared.map((p) => (
              <li key={p.id}>
                <span>{p.question}</span>{' '}
                <button
                  type="button"
                  class="btn btn-primary"
                  disabled={!!running}
                  onClick={() => void actions.launch(p.id).then(() => setError(null), fail)}
                >
                  {t('pollLaunch')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        class="poll-create"
        onSubmit={(e) => {
          e.preventDefault();
          const list = options
            .split('\n')
            .map((o) => o.trim())
            .filter(Boolean);
          if (!question.trim() || list.length < POLL_MIN_OPTIONS || list.length > POLL_MAX_OPTIONS) {
            setError(t('pollOptionsHint'));
            return;
          }
          void actions.createPoll(question.trim(), list, multiple, allowChange).then(() => {
            setQuestion('');
            setOptions('');
            setError(null);
          }, fail);
        }}
      >
        <label for="poll-q">{t('pollQuestion')}</label>
        <input id="poll-q" value={question} maxLength={200} onInput={(e) => setQuestion(e.currentTarget.value)} />
        <label for="poll-o">{t('pollOptions')}</label>
        <textarea id="poll-o" rows={3} value={options} onInput={(e) => setOptions(e.currentTarget.value)} />
        <label>
          <input type="checkbox" checked={multiple} onChange={(e) => setMultiple(e.currentTarget.checked)} />{' '}
          {t('pollAllowMultiple')}
        </label>
        <label>
          <input type="checkbox" checked={allowChange} onChange={(e) => setAllowChange(e.currentTarget.checked)} />{' '}
          {t('pollAllowChange')}
        </label>
        <button type="submit" class="btn btn-primary" disabled={!!running}>
          {t('pollCreate')}
        </button>
      </form>
      {error && (
        <p class="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
