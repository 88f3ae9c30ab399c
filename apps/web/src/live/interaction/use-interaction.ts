/**
 * The room's Q&A and polls for the components: syncs after every (re-)join
 * (the join's answer carries no interaction state, and a reconnect may have
 * missed notifications), and sends the client events, folding each ack into
 * the state so the screen answers at once.
 */
import { useEffect } from 'preact/hooks';
import type { ClientAckData, ClientEventName, ClientRequest } from '@balai/live-contract';
import type { LiveClient } from '../live-client';
import type { LiveState } from '../room-state';
import { asked, interactionSynced, InteractionState, upvoted, voted } from './interaction-state';

function patch(client: LiveClient, next: (s: InteractionState) => InteractionState): void {
  client.state.set((s) => ({ ...s, interaction: next(s.interaction) }));
}

/** Runs `interaction:sync` whenever the room is (again) live with a new join. */
export function useInteractionSync(client: LiveClient, s: LiveState): void {
  const live = s.status === 'live';
  const self = s.self;
  useEffect(() => {
    if (!live || !self) return undefined;
    let cancelled = false;
    const run = async (attempt: number): Promise<void> => {
      try {
        const snapshot = await client.request('interaction:sync', {});
        if (!cancelled) patch(client, () => interactionSynced(snapshot));
      } catch {
        if (!cancelled && attempt < 5) setTimeout(() => void run(attempt + 1), 1000 * attempt);
      }
    };
    void run(1);
    return () => {
      cancelled = true;
    };
  }, [client, live, self]);
}

const send = <E extends ClientEventName>(client: LiveClient, event: E, payload: ClientRequest<E>) =>
  client.request(event, payload) as Promise<ClientAckData[E]>;

export function interactionActions(client: LiveClient) {
  return {
    ask: async (text: string, anonymous: boolean) => {
      const q = await send(client, 'qna:ask', { text, anonymous });
      patch(client, (s) => asked(s, q));
    },
    upvote: async (questionId: string, up: boolean) => {
      patch(client, (s) => upvoted(s, questionId, up));
      try {
        await send(client, 'qna:upvote', { questionId, up });
      } catch (error) {
        patch(client, (s) => upvoted(s, questionId, !up));
        throw error;
      }
    },
    answer: (questionId: string, answer?: string) =>
      send(client, 'qna:answer', answer ? { questionId, answer } : { questionId }),
    dismiss: (questionId: string) => send(client, 'qna:dismiss', { questionId }),
    pin: (questionId: string | null) => send(client, 'qna:pin', { questionId }),
    createPoll: (question: string, options: string[], multiple: boolean, allowChange: boolean) =>
      send(client, 'poll:create', { question, options, multiple, allowChange }),
    launch: (pollId: string) => send(client, 'poll:launch', { pollId }),
    vote: async (pollId: string, choices: number[]) => {
      const r = await send(client, 'poll:vote', { pollId, choices });
      patch(client, (s) => voted(s, pollId, r.choices));
    },
    reveal: (pollId: string, revealed: boolean) => send(client, 'poll:reveal', { pollId, revealed }),
    close: (pollId: string) => send(client, 'poll:close', { pollId }),
  };
}
export type InteractionActions = ReturnType<typeof interactionActions>;
