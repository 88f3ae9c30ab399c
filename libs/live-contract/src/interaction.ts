/**
 * Webinar interaction (issue 12): Q&A with upvotes and live polls. Event names,
 * zod validators, ack and notification payloads. Merged into the contract's
 * tables (events.ts, payloads.ts) so the gateway validates, acks and
 * type-checks them like every other event. This file imports nothing from the
 * rest of the contract (events.ts and payloads.ts import it).
 *
 * Privacy rule carried by the payloads: towards participants an anonymous
 * question has `authorId` and `authorName` null, and a poll's `counts` are null
 * until the host reveals them. Hosts and moderators always get both.
 */
import { z } from 'zod';
import { storedText } from './text';

export const QUESTION_MAX_LENGTH = 300;
export const ANSWER_MAX_LENGTH = 1000;
export const POLL_QUESTION_MAX_LENGTH = 200;
export const POLL_OPTION_MAX_LENGTH = 100;
export const POLL_MIN_OPTIONS = 2;
export const POLL_MAX_OPTIONS = 10;

export const InteractionClientEvent = {
  /** The Q&A and polls of the session as this person may see them; staff also join the staff channel. */
  InteractionSync: 'interaction:sync',
  QnaAsk: 'qna:ask',
  QnaUpvote: 'qna:upvote',
  QnaAnswer: 'qna:answer',
  QnaDismiss: 'qna:dismiss',
  QnaPin: 'qna:pin',
  PollCreate: 'poll:create',
  PollLaunch: 'poll:launch',
  PollVote: 'poll:vote',
  PollReveal: 'poll:reveal',
  PollClose: 'poll:close',
} as const;

export const InteractionServerEvent = {
  /** A question was asked or changed (answered, dismissed); counts come in qna:votes. */
  QnaQuestion: 'qna:question',
  /** Upvote counts of the session's questions, at most a few times per second. */
  QnaVotes: 'qna:votes',
  QnaPinned: 'qna:pinned',
  /** A poll was launched, revealed, hidden or closed. */
  PollUpdated: 'poll:updated',
  /** Live vote counts of an open poll, at most a few times per second (staff; everyone once revealed). */
  PollCounts: 'poll:counts',
} as const;

const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'expected a 24-hex id');
const text = (max: number, empty: string) => storedText(max, empty);

export const InteractionSyncSchema = z.object({}).strict();
export const QnaAskSchema = z
  .object({ text: text(QUESTION_MAX_LENGTH, 'empty question'), anonymous: z.boolean().default(false) })
  .strict();
/** `up: false` takes the person's upvote back. */
export const QnaUpvoteSchema = z.object({ questionId: objectId, up: z.boolean() }).strict();
/** Without `answer`: answered live (spoken). */
export const QnaAnswerSchema = z
  .object({ questionId: objectId, answer: text(ANSWER_MAX_LENGTH, 'empty answer').optional() })
  .strict();
export const QnaDismissSchema = z.object({ questionId: objectId }).strict();
/** `questionId: null` unpins. */
export const QnaPinSchema = z.object({ questionId: objectId.nullable() }).strict();

export const PollDefinitionSchema = z
  .object({
    question: text(POLL_QUESTION_MAX_LENGTH, 'empty question'),
    options: z
      .array(text(POLL_OPTION_MAX_LENGTH, 'empty option'))
      .min(POLL_MIN_OPTIONS, `at least ${POLL_MIN_OPTIONS} options`)
      .max(POLL_MAX_OPTIONS, `at most ${POLL_MAX_OPTIONS} options`),
    multiple: z.boolean().default(false),
    /** Voters may change their vote until the poll closes. */
    allowChange: z.boolean().default(true),
  })
  .strict();
/** A poll made on the fly in the room: it opens at once. */
export const PollCreateSchema = PollDefinitionSchema;
/** Opens a poll prepared on the course page. */
export const PollLaunchSchema = z.object({ pollId: objectId }).strict();
export const PollVoteSchema = z
  .object({
    pollId: objectId,
    choices: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(POLL_MAX_OPTIONS - 1),
      )
      .min(1, 'choose an option')
      .max(POLL_MAX_OPTIONS)
      .refine((c) => new Set(c).size === c.length, 'each option once'),
  })
  .strict();
export const PollRevealSchema = z.object({ pollId: objectId, revealed: z.boolean() }).strict();
export const PollCloseSchema = z.object({ pollId: objectId }).strict();

export const INTERACTION_PAYLOAD_SCHEMAS = {
  [InteractionClientEvent.InteractionSync]: InteractionSyncSchema,
  [InteractionClientEvent.QnaAsk]: QnaAskSchema,
  [InteractionClientEvent.QnaUpvote]: QnaUpvoteSchema,
  [InteractionClientEvent.QnaAnswer]: QnaAnswerSchema,
  [InteractionClientEvent.QnaDismiss]: QnaDismissSchema,
  [InteractionClientEvent.QnaPin]: QnaPinSchema,
  [InteractionClientEvent.PollCreate]: PollCreateSchema,
  [InteractionClientEvent.PollLaunch]: PollLaunchSchema,
  [InteractionClientEvent.PollVote]: PollVoteSchema,
  [InteractionClientEvent.PollReveal]: PollRevealSchema,
  [InteractionClientEvent.PollClose]: PollCloseSchema,
} as const;

export type QuestionStatus = 'open' | 'answered' | 'dismissed';

export interface QuestionInfo {
  id: string;
  text: string;
  anonymous: boolean;
  /** null towards participants when the question is anonymous. */
  authorId: string | null;
  authorName: string | null;
  status: QuestionStatus;
  /** The typed answer; null when answered live or not answered. */
  answer: string | null;
  upvotes: number;
  pinned: boolean;
  at: string;
}

export type PollStatus = 'prepared' | 'open' | 'closed';

export interface PollInfo {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  allowChange: boolean;
  status: PollStatus;
  revealed: boolean;
  /** Votes per option; null towards participants while the results are private. */
  counts: number[] | null;
  /** People who voted; null like `counts`. */
  voters: number | null;
  openedAt: string | null;
  closedAt: string | null;
}

export interface InteractionSnapshot {
  /** Sorted by upvotes, then time (oldest first). Participants do not get dismissed ones. */
  questions: QuestionInfo[];
  pinnedQuestionId: string | null;
  /** Ids of the questions this person upvoted, and asked. */
  myUpvotes: string[];
  myQuestions: string[];
  /** The session's open and closed polls (newest first). */
  polls: PollInfo[];
  /** Staff only: polls prepared on the course page, ready to launch. */
  prepared: PollInfo[];
  /** This person's choices per poll id. */
  myVotes: Record<string, number[]>;
}

export interface QnaVotesNotice {
  /** Upvotes per question id (only the questions whose count changed). */
  counts: Record<string, number>;
}

export interface PollCountsNotice {
  pollId: string;
  counts: number[];
  voters: number;
}

export interface InteractionNotifications {
  'qna:question': QuestionInfo;
  'qna:votes': QnaVotesNotice;
  'qna:pinned': { questionId: string | null };
  'poll:updated': PollInfo;
  'poll:counts': PollCountsNotice;
}

export interface InteractionAckData {
  'interaction:sync': InteractionSnapshot;
  'qna:ask': QuestionInfo;
  'qna:upvote': { questionId: string; upvoted: boolean };
  'qna:answer': QuestionInfo;
  'qna:dismiss': QuestionInfo;
  'qna:pin': { questionId: string | null };
  'poll:create': PollInfo;
  'poll:launch': PollInfo;
  'poll:vote': { pollId: string; choices: number[] };
  'poll:reveal': PollInfo;
  'poll:close': PollInfo;
}
