/** What each audience sees of a question or a poll (the privacy rule lives here, once). */
import type { PollInfo, QuestionInfo } from '@balai/live-contract';
import type { PollRecord, QuestionRecord } from './interaction.repository';

export type Audience = 'staff' | 'participant';

export function questionView(q: QuestionRecord, upvotes: number, audience: Audience): QuestionInfo {
  const hidden = q.anonymous && audience === 'participant';
  return {
    id: q.id,
    text: q.text,
    anonymous: q.anonymous,
    authorId: hidden ? null : q.userId,
    authorName: hidden ? null : q.name,
    status: q.status,
    answer: q.answer,
    upvotes,
    pinned: q.pinned,
    at: q.at.toISOString(),
  };
}

export function pollView(
  p: PollRecord,
  live: { counts: number[]; voters: number } | null,
  audience: Audience,
): PollInfo {
  const visible = audience === 'staff' || p.revealed;
  const final = p.counts ? { counts: p.counts, voters: p.voters ?? 0 } : null;
  const shown = visible ? (p.status === 'closed' ? (final ?? live) : (live ?? final)) : null;
  return {
    id: p.id,
    question: p.question,
    options: p.options,
    multiple: p.multiple,
    allowChange: p.allowChange,
    status: p.status,
    revealed: p.revealed,
    counts: shown ? shown.counts : null,
    voters: shown ? shown.voters : null,
    openedAt: p.openedAt?.toISOString() ?? null,
    closedAt: p.closedAt?.toISOString() ?? null,
  };
}

/** Sorted by upvotes, then time (oldest first). */
export function byVotesThenTime(a: QuestionInfo, b: QuestionInfo): number {
  return b.upvotes - a.upvotes || a.at.localeCompare(b.at);
}
