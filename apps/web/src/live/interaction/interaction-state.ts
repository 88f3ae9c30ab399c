/**
 * The room's Q&A and polls (issue 12) as the screen shows them, and the pure
 * reducer of their notifications. The snapshot comes from `interaction:sync`
 * after every (re-)join; notifications keep it current. Nothing here touches
 * the socket.
 */
import type {
  InteractionNotifications,
  InteractionSnapshot,
  PollInfo,
  QuestionInfo,
} from '@balai/live-contract/interaction';
import type { ServerNotification } from '@balai/live-contract/socket';

export interface InteractionState {
  /** false until the first sync answered. */
  synced: boolean;
  questions: Record<string, QuestionInfo>;
  pinnedQuestionId: string | null;
  myUpvotes: Record<string, true>;
  myQuestions: Record<string, true>;
  polls: Record<string, PollInfo>;
  prepared: PollInfo[];
  myVotes: Record<string, number[]>;
}

export type InteractionNotification = Extract<ServerNotification, { event: keyof InteractionNotifications }>;

export const initialInteractionState = (): InteractionState => ({
  synced: false,
  questions: {},
  pinnedQuestionId: null,
  myUpvotes: {},
  myQuestions: {},
  polls: {},
  prepared: [],
  myVotes: {},
});

const flags = (ids: string[]): Record<string, true> => Object.fromEntries(ids.map((id) => [id, true as const]));

export function interactionSynced(snapshot: InteractionSnapshot): InteractionState {
  return {
    synced: true,
    questions: Object.fromEntries(snapshot.questions.map((q) => [q.id, q])),
    pinnedQuestionId: snapshot.pinnedQuestionId,
    myUpvotes: flags(snapshot.myUpvotes),
    myQuestions: flags(snapshot.myQuestions),
    polls: Object.fromEntries(snapshot.polls.map((p) => [p.id, p])),
    prepared: snapshot.prepared,
    myVotes: snapshot.myVotes,
  };
}

export function reduceInteraction(s: InteractionState, n: InteractionNotification): InteractionState {
  switch (n.event) {
    case 'qna:question':
      return { ...s, questions: { ...s.questions, [n.payload.id]: n.payload } };
    case 'qna:votes': {
      const questions = { ...s.questions };
      for (const [id, upvotes] of Object.entries(n.payload.counts))
        if (questions[id]) questions[id] = { ...questions[id], upvotes };
      return { ...s, questions };
    }
    case 'qna:pinned': {
      const questions: Record<string, QuestionInfo> = {};
      for (const q of Object.values(s.questions)) questions[q.id] = { ...q, pinned: q.id === n.payload.questionId };
      return { ...s, questions, pinnedQuestionId: n.payload.questionId };
    }
    case 'poll:updated': {
      const before = s.polls[n.payload.id];
      // Counts we already hold (we are staff, or it was revealed) stay until newer ones come.
      const p =
        n.payload.counts === null && before?.counts && n.payload.revealed
          ? { ...n.payload, counts: before.counts, voters: before.voters }
          : n.payload;
      return {
        ...s,
        polls: { ...s.polls, [p.id]: p },
        prepared: s.prepared.filter((x) => x.id !== p.id),
      };
    }
    case 'poll:counts': {
      const p = s.polls[n.payload.pollId];
      if (!p) return s;
      return { ...s, polls: { ...s.polls, [p.id]: { ...p, counts: n.payload.counts, voters: n.payload.voters } } };
    }
  }
}

/** Sorted by upvotes, then time (oldest first); dismissed ones only for staff. */
export function sortedQuestions(s: InteractionState, staff: boolean): QuestionInfo[] {
  return Object.values(s.questions)
    .filter((q) => staff || q.status !== 'dismissed')
    .sort((a, b) => b.upvotes - a.upvotes || a.at.localeCompare(b.at));
}

/** The poll on the stage: the open one (newest), else none. */
export function openPoll(s: InteractionState): PollInfo | null {
  const open = Object.values(s.polls).filter((p) => p.status === 'open');
  open.sort((a, b) => (b.openedAt ?? '').localeCompare(a.openedAt ?? ''));
  return open[0] ?? null;
}

export function upvoted(s: InteractionState, questionId: string, up: boolean): InteractionState {
  const myUpvotes = { ...s.myUpvotes };
  if (up) myUpvotes[questionId] = true;
  else delete myUpvotes[questionId];
  return { ...s, myUpvotes };
}

export function voted(s: InteractionState, pollId: string, choices: number[]): InteractionState {
  return { ...s, myVotes: { ...s.myVotes, [pollId]: choices } };
}

export function asked(s: InteractionState, q: QuestionInfo): InteractionState {
  return {
    ...s,
    questions: { ...s.questions, [q.id]: s.questions[q.id] ?? q },
    myQuestions: { ...s.myQuestions, [q.id]: true },
  };
}
