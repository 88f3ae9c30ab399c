/**
 * Live polls of a session: the staff open one (made on the fly, or prepared
 * on the course page), reveal or hide its results, close it; everyone votes
 * once (single or multiple choice; changing allowed until close when the poll
 * says so). A vote moves the live counts in Redis atomically (one per person,
 * across nodes) and is stored under the derived id `<pollId>:<userId>`;
 * closing recounts from the stored votes and keeps the result with the session.
 */
import { Injectable, Logger } from '@nestjs/common';
import { PollInfo } from '@balai/live-contract';
import type { Peer } from '../rooms/peer';
import type { Room } from '../rooms/room';
import { badState, forbidden, notFound } from '../signalling/live.exception';
import { InteractionBroadcaster } from './interaction-broadcaster';
import { InteractionCache } from './interaction.cache';
import { InteractionChannels } from './interaction-channels';
import { InteractionCountsStore } from './interaction-counts.store';
import { InteractionRepository, PollDefinition, PollRecord } from './interaction.repository';
import { pollView } from './interaction-views';
import { KeyedQueue } from './keyed-queue';

/** How long closing waits for votes already being applied on this node. */
const CLOSE_SETTLE_MS = 2000;

@Injectable()
export class PollsService {
  private readonly logger = new Logger(PollsService.name);
  private readonly queue = new KeyedQueue();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly repository: InteractionRepository,
    private readonly cache: InteractionCache,
    private readonly counts: InteractionCountsStore,
    private readonly channels: InteractionChannels,
    private readonly broadcaster: InteractionBroadcaster,
  ) {}

  async create(room: Room, peer: Peer, def: PollDefinition, at = new Date()): Promise<PollInfo> {
    this.requireStaff(peer, 'only hosts and moderators create polls');
    await this.requireNoOpenPoll(room);
    const { poll } = await this.repository.createOpenPoll(room.sessionId, room.session.courseId, peer.userId, def, at);
    return this.opened(room, poll);
  }

  async launch(room: Room, peer: Peer, preparedId: string, at = new Date()): Promise<PollInfo> {
    this.requireStaff(peer, 'only hosts and moderators launch polls');
    const prepared = await this.repository.findPoll(preparedId);
    if (!prepared || prepared.status !== 'prepared' || prepared.courseId !== room.session.courseId) {
      throw notFound('no such prepared poll for this course');
    }
    await this.requireNoOpenPoll(room);
    const def = {
      question: prepared.question,
      options: prepared.options,
      multiple: prepared.multiple,
      allowChange: prepared.allowChange,
    };
    const { poll, created } = await this.repository.createOpenPoll(
      room.sessionId,
      room.session.courseId,
      peer.userId,
      def,
      at,
      preparedId,
    );
    if (!created) throw badState('this poll was already launched in this session');
    return this.opened(room, poll);
  }

  async vote(
    room: Room,
    peer: Peer,
    pollId: string,
    choices: number[],
  ): Promise<{ pollId: string; choices: number[] }> {
    const poll = await this.poll(room, pollId);
    if (poll.status !== 'open') throw badState('this poll is not open');
    if (choices.some((c) => c >= poll.options.length)) throw badState('no such option');
    if (!poll.multiple && choices.length > 1) throw badState('this poll takes one choice');
    const sorted = [...choices].sort((a, b) => a - b);
    this.inFlight.set(pollId, (this.inFlight.get(pollId) ?? 0) + 1);
    try {
      return await this.queue.run(`${pollId}:${peer.userId}`, async () => {
        if (poll.status !== 'open') throw badState('this poll is not open');
        const outcome = await this.counts.vote(pollId, peer.userId, sorted, poll.allowChange);
        if (outcome.result === 'locked') throw badState('you have already voted in this poll');
        if (outcome.result === 'same') return { pollId, choices: sorted };
        let stored: boolean;
        try {
          // A first vote (as far as the live counts know) is an insert the primary key guards;
          // if the store already holds one (the live counts had lost it), a changeable poll replaces it.
          stored = await this.repository.putVote(poll, peer.userId, sorted, outcome.previous !== null);
          if (!stored && poll.allowChange) stored = await this.repository.putVote(poll, peer.userId, sorted, true);
        } catch (error) {
          await this.counts.undoVote(pollId, peer.userId, sorted, outcome.previous).catch(() => undefined);
          throw error;
        }
        if (!stored) {
          // The store already holds this person's vote (the live counts had lost it): the stored one stands.
          await this.counts.undoVote(pollId, peer.userId, sorted, outcome.previous).catch(() => undefined);
          throw badState('you have already voted in this poll');
        }
        this.broadcaster.pollChanged(room.sessionId, pollId);
        return { pollId, choices: sorted };
      });
    } finally {
      this.inFlight.set(pollId, (this.inFlight.get(pollId) ?? 1) - 1);
    }
  }

  async reveal(room: Room, peer: Peer, pollId: string, revealed: boolean): Promise<PollInfo> {
    this.requireStaff(peer, 'only hosts and moderators reveal results');
    const poll = await this.poll(room, pollId);
    if (poll.status === 'prepared') throw badState('this poll was not launched');
    await this.repository.updatePoll(pollId, { revealed });
    poll.revealed = revealed;
    return this.announce(room, poll);
  }

  async close(room: Room, peer: Peer, pollId: string, at = new Date()): Promise<PollInfo> {
    this.requireStaff(peer, 'only hosts and moderators close polls');
    const poll = await this.poll(room, pollId);
    if (poll.status !== 'open') throw badState('this poll is not open');
    poll.status = 'closed';
    poll.closedAt = at;
    await this.repository.updatePoll(pollId, { status: 'closed', closedAt: at });
    const settleUntil = Date.now() + CLOSE_SETTLE_MS;
    while ((this.inFlight.get(pollId) ?? 0) > 0 && Date.now() < settleUntil)
      await new Promise((r) => setTimeout(r, 20));
    // The result kept with the session is counted from the stored votes, one per person by their ids.
    const votes = await this.repository.pollVotes(pollId);
    const counts = poll.options.map(() => 0);
    for (const v of votes) for (const c of v.choices) if (c < counts.length) counts[c] += 1;
    poll.counts = counts;
    poll.voters = votes.length;
    await this.repository.updatePoll(pollId, { counts, voters: votes.length });
    const live = await this.counts.pollCounts(pollId, poll.options.length).catch(() => null);
    if (live && (live.voters !== votes.length || live.counts.some((n, i) => n !== counts[i]))) {
      this.logger.warn(
        { pollId, live, stored: { counts, voters: votes.length } },
        'live poll counts differed from the votes',
      );
      await this.counts.resetPoll(pollId, votes).catch(() => undefined);
    }
    return this.announce(room, poll);
  }

  async snapshot(
    room: Room,
    peer: Peer,
  ): Promise<{ polls: PollInfo[]; prepared: PollInfo[]; myVotes: Record<string, number[]> }> {
    const state = await this.cache.get(room.sessionId);
    const audience = peer.isStaff ? 'staff' : 'participant';
    const polls: PollInfo[] = [];
    const myVotes: Record<string, number[]> = {};
    for (const p of state.polls.values()) {
      const live = p.status === 'open' ? await this.counts.pollCounts(p.id, p.options.length) : null;
      polls.push(pollView(p, live, audience));
      const mine = await this.counts.myVote(p.id, peer.userId);
      if (mine) myVotes[p.id] = mine;
    }
    polls.sort((a, b) => (b.openedAt ?? '').localeCompare(a.openedAt ?? ''));
    const prepared = peer.isStaff
      ? (await this.repository.preparedPolls(room.session.courseId)).map((p) => pollView(p, null, 'staff'))
      : [];
    return { polls, prepared, myVotes };
  }

  private requireStaff(peer: Peer, message: string): void {
    if (!peer.isStaff) throw forbidden(message);
  }

  private async requireNoOpenPoll(room: Room): Promise<void> {
    const state = await this.cache.get(room.sessionId);
    if ([...state.polls.values()].some((p) => p.status === 'open')) throw badState('close the open poll first');
  }

  private async poll(room: Room, pollId: string): Promise<PollRecord> {
    const poll = (await this.cache.get(room.sessionId)).polls.get(pollId);
    if (!poll) throw notFound('unknown poll');
    return poll;
  }

  private async opened(room: Room, poll: PollRecord): Promise<PollInfo> {
    (await this.cache.get(room.sessionId)).polls.set(poll.id, poll);
    return this.announce(room, poll);
  }

  /** Tells staff (with counts) and participants (counts only when revealed); returns the staff view. */
  private async announce(room: Room, poll: PollRecord): Promise<PollInfo> {
    const live = poll.status === 'open' ? await this.counts.pollCounts(poll.id, poll.options.length) : null;
    const staff = pollView(poll, live, 'staff');
    this.channels.toStaff(room.sessionId, 'poll:updated', staff);
    this.channels.toParticipants(room.sessionId, 'poll:updated', pollView(poll, live, 'participant'));
    return staff;
  }
}
