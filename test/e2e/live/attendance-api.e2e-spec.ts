/**
 * Attendance end to end against the real API: the live service reports joins
 * and leaves to the API's internal endpoint, and the intervals appear in the
 * API's per-session attendance after the participants leave (including one
 * who dropped and came back within the grace period: one connection).
 */
import { startApiApp, RunningApp } from '../../support/api-app';
import { LiveClient, RunningLive } from '../../support/live-app';
import { eventually } from '../../support/wait';

jest.setTimeout(60_000);

interface SessionAttendance {
  rows: Array<{ userId: string; firstJoinAt: string | null; lastLeaveAt: string | null; connections: number }>;
}

describe('attendance reaches the API', () => {
  let api: RunningApp;
  let live: RunningLive;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    api = await startApiApp();
    process.env.API_INTERNAL_URL = api.url;
    process.env.LIVE_RECONNECT_GRACE_SECONDS = '2';
    const { startLiveApp } = await import('../../support/live-app');
    live = await startLiveApp();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await live?.close();
    await api?.close();
  });

  it('shows each participant interval after leave', async () => {
    const course = await live.factory.course();
    const steady = await live.factory.participant(course);
    const flaky = await live.factory.participant(course);
    const host = await LiveClient.connect(live.url, course.trainer.token);
    clients.push(host);
    await host.ok('room:join', { sessionId: course.sessionId });

    const a = await LiveClient.connect(live.url, steady.token);
    clients.push(a);
    await a.ok('room:join', { sessionId: course.sessionId });
    const b1 = await LiveClient.connect(live.url, flaky.token);
    await b1.ok('room:join', { sessionId: course.sessionId });
    b1.close(); // dropped ...
    await new Promise((resolve) => setTimeout(resolve, 500));
    const b2 = await LiveClient.connect(live.url, flaky.token); // ... and back within the grace period
    clients.push(b2);
    await b2.ok('room:join', { sessionId: course.sessionId });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await a.ok('room:leave');
    await b2.ok('room:leave');

    const read = async (): Promise<SessionAttendance> => {
      const response = await fetch(`${api.url}/api/sessions/${course.sessionId}/attendance`, {
        headers: { authorization: `Bearer ${course.trainer.token}` },
      });
      if (!response.ok) throw new Error(`GET attendance: ${response.status} ${await response.text()}`);
      return (await response.json()) as SessionAttendance;
    };
    const report = await eventually(
      read,
      (r) => [steady.id, flaky.id].every((id) => r.rows.some((row) => row.userId === id && row.lastLeaveAt)),
      10_000,
    );
    for (const id of [steady.id, flaky.id]) {
      const row = report.rows.find((r) => r.userId === id)!;
      expect(row.firstJoinAt).not.toBeNull();
      expect(new Date(row.lastLeaveAt!).getTime()).toBeGreaterThan(new Date(row.firstJoinAt!).getTime());
      expect(row.connections).toBe(1);
    }
  });
});
