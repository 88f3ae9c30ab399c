/** The "Tanya" tab: ask (optionally anonymous), upvote, and for hosts/moderators pin, answer, dismiss; polls to launch. */
import { useMemo, useState } from 'preact/hooks';
import { LiveErrorCode, QUESTION_MAX_LENGTH } from '@balai/live-contract';
import type { QuestionInfo } from '@balai/live-contract';
import { t } from '../../i18n';
import { formatTime } from '../../time';
import { LiveClient, LiveRequestError } from '../live-client';
import type { LiveState } from '../room-state';
import { isStaff } from '../room/roles';
import { sortedQuestions } from './interaction-state';
import { PollLauncher } from './poll-launcher';
import { interactionActions, InteractionActions } from './use-interaction';
import './interaction.css';

function errorText(err: unknown): string {
  if (err instanceof LiveRequestError && err.error.code === LiveErrorCode.RateLimited) return t('qnaTooFast');
  return t('errGeneric');
}

export function QnaPanel({ s, client }: { s: LiveState; client: LiveClient }) {
  const actions = useMemo(() => interactionActions(client), [client]);
  const staff = isStaff(s.self);
  const [text, setText] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = sortedQuestions(s.interaction, staff);
  return (
    <div class="qna" data-testid="qna-panel">
      {!staff && (
        <form
          class="qna-ask"
          onSubmit={async (e) => {
            e.preventDefault();
            const v = text.trim();
            if (!v) return;
            setError(null);
            try {
              await actions.ask(v, anonymous);
              setText('');
            } catch (err) {
              setError(errorText(err));
            }
          }}
        >
          <label class="sr-only" for="qna-input">
            {t('qnaAskPlaceholder')}
          </label>
          <textarea
            id="qna-input"
            rows={2}
            value={text}
            maxLength={QUESTION_MAX_LENGTH}
            placeholder={t('qnaAskPlaceholder')}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <div class="qna-ask-row">
            <label class="qna-anon">
              <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />{' '}
              {t('qnaAnonymous')}
            </label>
            <button type="submit" class="btn btn-primary">
              {t('qnaAsk')}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p class="banner banner-error" role="alert">
          {error}
        </p>
      )}
      {staff && <PollLauncher s={s} actions={actions} />}
      {list.length === 0 ? (
        <p class="muted qna-empty">{t('qnaEmpty')}</p>
      ) : (
        <ol class="qna-list" aria-label={t('qnaTab')} data-testid="qna-list">
          {list.map((q) => (
            <QuestionItem key={q.id} q={q} s={s} staff={staff} actions={actions} onError={setError} />
          ))}
        </ol>
      )}
    </div>
  );
}

function QuestionItem({
  q,
  s,
  staff,
  actions,
  onError,
}: {
  q: QuestionInfo;
  s: LiveState;
  staff: boolean;
  actions: InteractionActions;
  onError: (text: string | null) => void;
}) {
  const mine = !!s.interaction.myQuestions[q.id];
  const up = !!s.interaction.myUpvotes[q.id];
  const [typing, setTyping] = useState(false);
  const [answer, setAnswer] = useState('');
  const run = (p: Promise<unknown>) =>
    void p.then(
      () => onError(null),
      (err) => onError(errorText(err)),
    );
  const who = mine ? t('you') : (q.authorName ?? t('qnaAnonymousName'));
  return (
    <li class={`qna-item qna-${q.status}${q.pinned ? ' qna-pinned' : ''}`} data-testid="question" data-id={q.id}>
      <button
        type="button"
        class="qna-vote"
        aria-pressed={up}
        disabled={q.status === 'dismissed'}
        aria-label={t('qnaUpvote', { n: q.upvotes })}
        data-testid="upvote"
        onClick={() => run(actions.upvote(q.id, !up))}
      >
        ▲ <span data-testid="upvotes">{q.upvotes}</span>
      </button>
      <div class="qna-body">
        <p class="qna-text">{q.text}</p>
        <p class="muted qna-meta">
          {who}
          {q.anonymous && staff ? ` · ${t('qnaAnonymousName')}` : ''} · {formatTime(q.at).replace(' WIB', '')}
          {q.pinned && <strong> · {t('qnaPinnedShort')}</strong>}
          {q.status === 'answered' && <strong> · ✓ {t('qnaStatusAnswered')}</strong>}
          {q.status === 'dismissed' && <> · {t('qnaStatusDismissed')}</>}
        </p>
        {q.answer && <p class="qna-answer">{q.answer}</p>}
        {staff && q.status !== 'dismissed' && (
          <div class="qna-actions">
            <button type="button" class="btn" onClick={() => run(actions.pin(q.pinned ? null : q.id))}>
              {q.pinned ? t('qnaUnpin') : t('qnaPin')}
            </button>
            {q.status === 'open' && (
              <button type="button" class="btn" onClick={() => run(actions.answer(q.id))}>
                {t('qnaAnswerLive')}
              </button>
            )}
            <button type="button" class="btn" onClick={() => setTyping(!typing)}>
              {t('qnaAnswerTyped')}
            </button>
            <button type="button" class="btn btn-danger" onClick={() => run(actions.dismiss(q.id))}>
              {t('qnaDismiss')}
            </button>
          </div>
        )}
        {staff && typing && (
          <form
            class="qna-answer-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!answer.trim()) return;
              run(actions.answer(q.id, answer.trim()).then(() => setTyping(false)));
            }}
          >
            <label class="sr-only" for={`answer-${q.id}`}>
              {t('qnaAnswerPlaceholder')}
            </label>
            <input
              id={`answer-${q.id}`}
              value={answer}
              maxLength={1000}
              placeholder={t('qnaAnswerPlaceholder')}
              onInput={(e) => setAnswer(e.currentTarget.value)}
            />
            <button type="submit" class="btn btn-primary">
              {t('send')}
            </button>
          </form>
        )}
      </div>
    </li>
  );
}
