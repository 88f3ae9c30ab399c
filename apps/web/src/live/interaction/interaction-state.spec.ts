import type { PollInfo, QuestionInfo } from '@balai/live-contract';
import { initialLiveState, reduce } from '../room-state';
import {
  asked,
  initialInteractionState,
  interactionSynced,
  openPoll,
  reduceInteraction,
  sortedQuestions,
  upvoted,
  voted,
} from './interaction-state';

const question = (id: string, over: Partial<QuestionInfo> = {}): QuestionInfo => ({
  id,
  text: `Pertanyaan ${id}`,
  anonymous: false,
  authorId: 'u1',
  authorName: 'Rina',
  status: 'open',
  answer: null,
  upvotes: 0,
  pinned: false,
  at: '2026-12-01T03:00:00.000Z',
  ...over,
});

const poll = (id: string, over: Partial<PollInfo> = {}): PollInfo => ({
  id,
  question: 'Paham?',
  options: ['Ya', 'Belum'],
  multiple: false,
  allowChange: true,
  status: 'open',
  revealed: false,
  counts: null,
  voters: null,
  openedAt: '2026-12-01T03:00:00.000Z',
  closedAt: null,
  ...over,
});

describe('interaction state', () => {
  const synced = interactionSynced({
    questions: [question('a', { upvotes: 1 }), question('b', { at: '2026-12-01T02:00:00.000Z' })],
    pinnedQuestionId: null,
    myUpvotes: ['a'],
    myQuestions: ['b'],
    polls: [poll('p')],
    prepared: [poll('prep', { status: 'prepared' })],
    myVotes: { p: [1] },
  });

  it('takes the snapshot of a sync', () => {
    expect(synced).toMatchObject({
      synced: true,
      myUpvotes: { a: true },
      myQuestions: { b: true },
      myVotes: { p: [1] },
    });
  });

  it('sorts by upvotes, then time; dismissed only for staff', () => {
    const s = reduceInteraction(synced, { event: 'qna:question', payload: question('c', { status: 'dismissed' }) });
    expect(sortedQuestions(s, false).map((q) => q.id)).toEqual(['a', 'b']);
    expect(sortedQuestions(s, true).map((q) => q.id)).toEqual(['a', 'b', 'c']);
    const voted2 = reduceInteraction(s, { event: 'qna:votes', payload: { counts: { b: 3, gone: 9 } } });
    expect(sortedQuestions(voted2, false).map((q) => q.id)).toEqual(['b', 'a']);
  });

  it('pins one question at a time', () => {
    let s = reduceInteraction(synced, { event: 'qna:pinned', payload: { questionId: 'a' } });
    s = reduceInteraction(s, { event: 'qna:pinned', payload: { questionId: 'b' } });
    expect(s.pinnedQuestionId).toBe('b');
    expect(
      Object.values(s.questions)
        .filter((q) => q.pinned)
        .map((q) => q.id),
    ).toEqual(['b']);
  });

  it('keeps counts it holds when a revealed poll update carries none, and applies pushed counts', () => {
    let s = reduceInteraction(synced, { event: 'poll:counts', payload: { pollId: 'p', counts: [2, 1], voters: 3 } });
    expect(s.polls.p).toMatchObject({ counts: [2, 1], voters: 3 });
    s = reduceInteraction(s, { event: 'poll:updated', payload: poll('p', { revealed: true }) });
    expect(s.polls.p.counts).toEqual([2, 1]);
    s = reduceInteraction(s, {
      event: 'poll:updated',
      payload: poll('p', { status: 'closed', counts: [2, 2], voters: 4 }),
    });
    expect(s.polls.p).toMatchObject({ status: 'closed', counts: [2, 2] });
    expect(openPoll(s)).toBeNull();
  });

  it('a launched prepared poll leaves the prepared list', () => {
    const s = reduceInteraction(synced, {
      event: 'poll:updated',
      payload: poll('prep', { status: 'open', openedAt: '2026-12-01T04:00:00.000Z' }),
    });
    expect(s.prepared).toEqual([]);
    expect(openPoll(s)?.id).toBe('prep');
  });

  it('folds acks in: my upvote, my vote, my question', () => {
    expect(upvoted(synced, 'a', false).myUpvotes).toEqual({});
    expect(voted(synced, 'p', [0]).myVotes).toEqual({ p: [0] });
    expect(asked(initialInteractionState(), question('z')).myQuestions).toEqual({ z: true });
  });

  it('is reached through the room reducer', () => {
    const s = reduce(initialLiveState(), { event: 'qna:question', payload: question('x') });
    expect(s.interaction.questions.x.text).toBe('Pertanyaan x');
  });
});
