/**
 * What every screen shows right under the stage, without opening a tab: the
 * pinned question (the one being answered) and the poll card (vote; counts
 * when the host revealed them, always for hosts; reveal/hide/close for hosts).
 */
import { useMemo, useState } from 'preact/hooks';
import type { PollInfo } from '@balai/live-contract';
import { t } from '../../i18n';
import type { LiveClient } from '../live-client';
import type { LiveState } from '../room-state';
import { isStaff } from '../room/roles';
import { interactionActions, InteractionActions } from './use-interaction';
import './interaction.css';

export function StageInteraction({ s, client }: { s: LiveState; client: LiveClient }) {
  const actions = useMemo(() => interactionActions(client), [client]);
  const [hidden, setHidden] = useState<Record<string, true>>({});
  const pinned = s.interaction.pinnedQuestionId ? s.interaction.questions[s.interaction.pinnedQuestionId] : undefined;
  const polls = Object.values(s.interaction.polls).sort((a, b) => (b.openedAt ?? '').localeCompare(a.openedAt ?? ''));
  // The open poll; else the newest closed one whose results were shown, until put away.
  const poll =
    polls.find((p) => p.status === 'open') ?? polls.find((p) => p.status === 'closed' && p.revealed && !hidden[p.id]);
  if (!pinned && !poll) return null;
  return (
    <div class="stage-interaction">
      {pinned && (
        <p class="pinned-question" role="status" data-testid="pinned-question">
          <span class="pinned-label">{t('qnaPinned')}</span> {pinned.text}
          {pinned.authorName && <span class="muted"> — {pinned.authorName}</span>}
        </p>
      )}
      {poll && (
        <PollCard
          key={poll.id}
          poll={poll}
          s={s}
          actions={actions}
          onHide={() => setHidden((h) => ({ ...h, [poll.id]: true }))}
        />
      )}
    </div>
  );
}

function PollCard({
  poll,
  s,
  actions,
  onHide,
}: {
  poll: PollInfo;
  s: LiveState;
  actions: InteractionActions;
  onHide: () => void;
}) {
  const staff = isStaff(s.self);
  const mine = s.interaction.myVotes[poll.id];
  const [choice, setChoice] = useState<number[]>(mine ?? []);
  const [changing, setChanging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = poll.status === 'open';
  const canVote = open && !staff && (!mine || (poll.allowChange && changing));
  const fail = () => setError(t('errGeneric'));
  const total = poll.voters ?? 0;
  const toggle = (i: number) =>
    setChoice((c) => (poll.multiple ? (c.includes(i) ? c.filter((x) => x !== i) : [...c, i]) : [i]));
  return (
    <section class="poll-card" aria-labelledby={`poll-${poll.id}`} data-testid="poll-card" data-status={poll.status}>
      <h2 id={`poll-${poll.id}`} class="poll-question">
        📊 {poll.question}
        {!open && <span class="muted"> · {t('pollClosed')}</span>}
      </h2>
      {canVote ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!choice.length) return;
            void actions.vote(poll.id, choice).then(() => {
              setChanging(false);
              setError(null);
            }, fail);
          }}
        >
          {poll.multiple && <p class="muted">{t('pollMultiple')}</p>}
          <ul class="poll-options">
            {poll.options.map((o, i) => (
              <li key={i}>
                <label>
                  <input
                    type={poll.multiple ? 'checkbox' : 'radio'}
                    name={`poll-${poll.id}`}
                    checked={choice.includes(i)}
                    onChange={() => toggle(i)}
                  />{' '}
                  {o}
                </label>
              </li>
            ))}
          </ul>
          <button type="submit" class="btn btn-primary" disabled={!choice.length} data-testid="poll-vote">
            {t('pollVote')}
          </button>
        </form>
      ) : (
        <>
          {poll.counts ? (
            <ul class="poll-results" data-testid="poll-results">
              {poll.options.map((o, i) => {
                const n = poll.counts![i] ?? 0;
                const pct = total ? Math.round((n / total) * 100) : 0;
                return (
                  <li key={i} class={mine?.includes(i) ? 'mine' : ''}>
                    <span class="poll-option">{o}</span>
                    <span class="poll-bar" style={{ width: `${pct}%` }} />
                    <span class="poll-count" data-testid="poll-count">
                      {n} ({pct}%)
                    </span>
                  </li>
                );
              })}
            </ul>
          ) : (
            !staff && <p class="muted">{t('pollHiddenResults')}</p>
          )}
          {poll.counts && <p class="muted">{t('pollVoters', { n: total })}</p>}
          {mine && !staff && (
            <p class="muted" data-testid="poll-voted">
              {t('pollVoted')}{' '}
              {open && poll.allowChange && (
                <button type="button" class="link" onClick={() => setChanging(true)}>
                  {t('pollChangeVote')}
                </button>
              )}
            </p>
          )}
        </>
      )}
      {staff && open && (
        <div class="poll-actions">
          <button type="button" class="btn" onClick={() => void actions.reveal(poll.id, !poll.revealed).catch(fail)}>
            {poll.revealed ? t('pollHide') : t('pollReveal')}
          </button>
          <button type="button" class="btn btn-danger" onClick={() => void actions.close(poll.id).catch(fail)}>
            {t('pollClose')}
          </button>
        </div>
      )}
      {!open && (
        <button type="button" class="link" onClick={onHide}>
          {t('close')}
        </button>
      )}
      {error && (
        <p class="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
