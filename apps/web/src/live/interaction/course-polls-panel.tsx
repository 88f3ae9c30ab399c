/**
 * Course page (trainer and admin): polls prepared before the sessions (the
 * host launches them in the live room), and each held session's link to its
 * Q&A and poll results.
 */
import { useState } from 'preact/hooks';
import type { Session } from '../../api/client';
import { errorMessage } from '../../errors';
import { t } from '../../i18n';
import { Alert, Loaded, useLoad } from '../../ui';
import { interactionApi } from './interaction-api';

export function CoursePollsPanel({ courseId, sessions }: { courseId: string; sessions: Session[] }) {
  const state = useLoad(() => interactionApi.preparedPolls(courseId), [courseId]);
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState('');
  const [multiple, setMultiple] = useState(false);
  const [allowChange, setAllowChange] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const held = sessions.filter((s) => s.status === 'live' || s.status === 'ended');
  return (
    <section aria-labelledby="polls-h" data-testid="course-polls">
      <h2 id="polls-h">{t('pollsPanelTitle')}</h2>
      <p class="muted">{t('pollsPanelHint')}</p>
      <Loaded state={state}>
        {(polls) => (
          <ul class="list">
            {polls.map((p) => (
              <li key={p.id} data-testid="prepared-poll">
                <strong>{p.question}</strong> — {p.options.join(' / ')}{' '}
                <span class="muted">({p.multiple ? t('pollMultipleChoice') : t('pollSingleChoice')})</span>{' '}
                <button
                  type="button"
                  class="link"
                  onClick={() =>
                    void interactionApi.deletePoll(courseId, p.id).then(state.reload, (e) => setError(errorMessage(e)))
                  }
                >
                  {t('pollDelete')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Loaded>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          const list = options
            .split('\n')
            .map((o) => o.trim())
            .filter(Boolean);
          if (!question.trim() || list.length < 2 || list.length > 10) {
            setError(t('pollOptionsHint'));
            return;
          }
          setError(null);
          void interactionApi
            .preparePoll(courseId, { question: question.trim(), options: list, multiple, allowChange })
            .then(
              () => {
                setQuestion('');
                setOptions('');
                state.reload();
              },
              (err) => setError(errorMessage(err)),
            );
        }}
      >
        <label for="prep-q">{t('pollQuestion')}</label>
        <input id="prep-q" value={question} maxLength={200} onInput={(e) => setQuestion(e.currentTarget.value)} />
        <label for="prep-o">{t('pollOptions')}</label>
        <textarea id="prep-o" rows={3} value={options} onInput={(e) => setOptions(e.currentTarget.value)} />
        <label>
          <input type="checkbox" checked={multiple} onChange={(e) => setMultiple(e.currentTarget.checked)} />{' '}
          {t('pollAllowMultiple')}
        </label>
        <label>
          <input type="checkbox" checked={allowChange} onChange={(e) => setAllowChange(e.currentTarget.checked)} />{' '}
          {t('pollAllowChange')}
        </label>
        <button type="submit" class="btn btn-primary">
          {t('pollPrepare')}
        </button>
      </form>
      {error && <Alert kind="error">{error}</Alert>}
      {held.length > 0 && (
        <>
          <h3>{t('interactionReport')}</h3>
          <ul class="list">
            {held.map((s) => (
              <li key={s.id}>
                <a href={`#/laporan-sesi/${s.id}`} data-testid="session-report-link">
                  {s.title}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
