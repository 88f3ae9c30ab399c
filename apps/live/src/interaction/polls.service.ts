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
const CLOSE_SETTLE_MS = 3000;
/** Tries of one vote's database write before closing is left to write it. */
const PERSIST_ATTEMPTS = 5;

@Injectable()
export class PollsService {
  private readonly logger = new Logger(PollsService.name);
  private readonly queue = new KeyedQueue();
  private readonly persistQueue = new KeyedQueue();
  /** Database writes of votes not yet done, per poll. */
  private readonly pending = new Map<string, Set<Promise<void>>>();

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

  /**
   * Acknowledged once the live counts (Redis, atomic, one per person across
   * nodes) took the vote; the database write follows at once in the next
   * batch, in order per person (see persistVote), and closing the poll waits
   * for it and writes anything the live counts hold that the store lacks.
   */
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
    return this.queue.run(`${pollId}:${peer.userId}`, async () => {
      if (poll.status !== 'open') throw badState('this poll is not open');
      let outcome = await this.counts.vote(pollId, peer.userId, sorted, poll.allowChange);
      if (outcome.result === 'missing') {
        await this.rebuild(poll);
        outcome = await this.counts.vote(pollId, peer.userId, sorted, poll.allowChange);
      }
      if (outcome.result === 'missing') throw badState('this poll is not open');
      if (outcome.result === 'locked') throw badState('you have already voted in this poll');
      if (outcome.result === 'same') return { pollId, choices: sorted };
      this.persistVote(poll, peer.userId, sorted, outcome.previous !== null);
      this.broadcaster.pollChanged(room.sessionId, pollId);
      return { pollId, choices: sorted };
    });
  }

  /**
   * Stores a vote the live counts took, after this person's earlier writes of
   * this poll (so a change never lands before the vote it changes). A first
   * vote is an insert under the derived id `<pollId>:<userId>`: should the
   * store already hold one, the stored vote stands for a poll without changes
   * and the live counts are put back to it.
   */
  private persistVote(poll: PollRecord, userId: string, choices: number[], replace: boolean): void {
    const write = this.persistQueue.run(`${poll.id}:${userId}`, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          let stored = await this.repository.putVote(poll, userId, choices, replace);
          if (!stored && poll.allowChange) stored = await this.repository.putVote(poll, userId, choices, true);
          if (!stored) {
            this.logger.warn({ pollId: poll.id, userId }, 'a second vote was refused by the store; the first stands');
            await this.counts.undoVote(poll.id, userId, choices, null);
          }
          return;
        } catch (error) {
          if (attempt >= PERSIST_ATTEMPTS) {
            // Still in the live counts: closing the poll writes it (reconcile).
            this.logger.error({ err: error, pollId: poll.id, userId }, 'could not store a vote; closing will');
            return;
          }
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    });
    const pending = this.pending.get(poll.id) ?? new Set<Promise<void>>();
    pending.add(write);
    this.pending.set(poll.id, pending);
    void write.finally(() => pending.delete(write));
  }

  /** The live counts of a poll were lost (Redis restarted empty): rebuilt from the stored votes. */
  private async rebuild(poll: PollRecord): Promise<void> {
    await Promise.allSettled([...(this.pending.get(poll.id) ?? [])]);
    await this.counts.resetPoll(poll.id, await this.repository.pollVotes(poll.id));
    this.logger.warn({ pollId: poll.id }, 'live poll counts rebuilt from the stored votes');
  }

  private async reconcile(poll: PollRecord): Promise<void> {
    const live = await this.counts.allVotes(poll.id).catch(() => null);
    if (!live) return;
    const stored = new Map((await this.repository.pollVotes(poll.id)).map((v) => [v.userId, v.choices.join(',')]));
    const missing = [...live].filter(([userId, choices]) => stored.get(userId) !== choices.join(','));
    for (const [userId, choices] of missing) await this.repository.putVote(poll, userId, choices, true);
    if (missing.length) this.logger.warn({ pollId: poll.id, written: missing.length }, 'votes written at close');
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
    // Votes being taken or stored on this node finish first (bounded), then whatever the live
    // counts hold that the store lacks (a write that failed) is written.
    const settle = new Promise((r) => setTimeout(r, CLOSE_SETTLE_MS));
    await Promise.race([this.queue.idle(pollId), settle]);
    await Promise.race([Promise.allSettled([...(this.pending.get(pollId) ?? [])]), settle]);
    await this.reconcile(poll);
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
      if (p.status === 'open' && !(await this.counts.hasPoll(p.id))) await this.rebuild(p);
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
    await this.counts.resetPoll(poll.id, await this.repository.pollVotes(poll.id));
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
