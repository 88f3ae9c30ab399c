/**
 * The live service's only writes to the API's sessions, through its
 * repository: conditioned on the current status, so a late "live" never
 * revives an ended or cancelled session and ending twice changes nothing.
 */
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { CourseSession } from '@balai/database';
import { SessionRepository } from '../../../apps/live/src/rooms/session.repository';
import { RunningLive, startLiveApp } from '../../support/live-app';

describe('live session status writes', () => {
  let live: RunningLive;
  let sut: SessionRepository;
  let sessions: Model<CourseSession>;
  const statusOf = async (id: string) => (await sessions.findById(id).lean())!;

  beforeAll(async () => {
    live = await startLiveApp();
    sut = live.app.get(SessionRepository);
    sessions = live.app.get(getModelToken(CourseSession.name));
  });
  afterAll(async () => {
    await live?.close();
  });

  it('marks a scheduled session live once, and ends it once', async () => {
    const { sessionId } = await live.factory.course();
    const startedAt = new Date(Date.now() - 1000);
    expect(await sut.markLive(sessionId, startedAt)).toBe(true);
    expect(await sut.markLive(sessionId, new Date())).toBe(false);
    expect((await statusOf(sessionId)).liveStartedAt).toEqual(startedAt);
    const endedAt = new Date();
    expect(await sut.markEnded(sessionId, endedAt)).toBe(true);
    expect(await sut.markEnded(sessionId, new Date(Date.now() + 5000))).toBe(false);
    expect(await statusOf(sessionId)).toMatchObject({ status: 'ended', liveEndedAt: endedAt });
  });

  it('never turns an ended or cancelled session live, and never ends a cancelled one', async () => {
    const ended = await live.factory.course({ status: 'ended' });
    const cancelled = await live.factory.course({ status: 'cancelled' });
    expect(await sut.markLive(ended.sessionId, new Date())).toBe(false);
    expect(await sut.markLive(cancelled.sessionId, new Date())).toBe(false);
    expect(await sut.markEnded(cancelled.sessionId, new Date())).toBe(false);
    expect((await statusOf(ended.sessionId)).status).toBe('ended');
    expect((await statusOf(cancelled.sessionId)).status).toBe('cancelled');
  });
});
