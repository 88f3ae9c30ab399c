/**
 * Issue 15: the live service's outbox delivers attendance in batches, removes
 * from Redis only what the API answered for, and sends again only the events
 * the API could not store (`retry`); an API without the batch route gets the
 * events one by one. The API side is a scripted stand-in, so each answer is
 * chosen by the test.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttendanceEvent } from '@balai/domain';
import { ATTENDANCE_EVENTS_BATCH_PATH, ATTENDANCE_EVENTS_PATH } from '@balai/domain';
import { AttendanceOutbox } from '../../../apps/live/src/attendance/attendance-outbox.service';
import { eventually } from '../../support/wait';
import { LiveClient, RunningLive, startLiveApp } from '../../support/live-app';

jest.setTimeout(60_000);

interface Delivery {
  path: string;
  eventIds: string[];
}

/** Records every delivery; `answer` decides each event's result in a batch; `batches = false` is an older API. */
class ScriptedApi {
  readonly deliveries: Delivery[] = [];
  readonly stored = new Map<string, AttendanceEvent>();
  batches = true;
  answer: (event: AttendanceEvent, seenBefore: number) => 'recorded' | 'retry' = () => 'recorded';
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const seen = (id: string) => this.deliveries.filter((d) => d.eventIds.includes(id)).length;
        if (req.url === ATTENDANCE_EVENTS_BATCH_PATH && this.batches) {
          const { events } = JSON.parse(body) as { events: AttendanceEvent[] };
          const results = events.map((e) => ({ eventId: e.eventId, result: this.answer(e, seen(e.eventId)) }));
          this.deliveries.push({ path: req.url, eventIds: events.map((e) => e.eventId) });
          for (const [i, r] of results.entries()) if (r.result !== 'retry') this.stored.set(r.eventId, events[i]);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
          return;
        }
        if (req.url === ATTENDANCE_EVENTS_PATH) {
          const event = JSON.parse(body) as AttendanceEvent;
          this.deliveries.push({ path: req.url, eventIds: [event.eventId] });
          this.stored.set(event.eventId, event);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":"recorded"}');
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  times(eventId: string): number {
    return this.deliveries.filter((d) => d.eventIds.includes(eventId)).length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

describe('attendance outbox batches (issue 15)', () => {
  const api = new ScriptedApi();
  let live: RunningLive;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    await api.start();
    process.env.API_INTERNAL_URL = api.url;
    process.env.ATTENDANCE_RETRY_MS = '100';
    live = await startLiveApp();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
    api.batches = true;
    api.answer = () => 'recorded';
  });
  afterAll(async () => {
    await live.close();
    await api.close();
  });

  const drained = () =>
    eventually(
      () => live.app.get(AttendanceOutbox).pending(),
      (n) => n === 0,
      20_000,
    );

  /** `n` participants join and leave one course's session at once; returns their user ids. */
  async function storm(n: number): Promise<string[]> {
    const course = await live.factory.course();
    const people = await Promise.all(Array.from({ length: n }, () => live.factory.participant(course)));
    const sockets = await Promise.all(people.map((p) => LiveClient.connect(live.url, p.token)));
    clients.push(...sockets);
    await Promise.all(sockets.map((s) => s.ok('room:join', { sessionId: course.sessionId })));
    await Promise.all(sockets.map((s) => s.ok('room:leave')));
    return people.map((p) => p.id);
  }
  const mine = (userIds: string[]) => [...api.stored.values()].filter((e) => userIds.includes(e.userId));

  it('delivers a storm of joins and leaves in batches, each event once, each leave naming its join', async () => {
    const before = api.deliveries.length;
    const users = await storm(20);
    await drained();
    const events = mine(users);
    expect(events).toHaveLength(40);
    for (const e of events) expect(api.times(e.eventId)).toBe(1);
    const batches = api.deliveries.slice(before).filter((d) => d.path === ATTENDANCE_EVENTS_BATCH_PATH);
    expect(batches.length).toBeLessThan(40); // several events per POST
    const joins = new Map(events.filter((e) => e.type === 'join').map((e) => [e.userId, e.eventId]));
    for (const leave of events.filter((e) => e.type === 'leave'))
      expect(leave.joinEventId).toBe(joins.get(leave.userId));
  });

  it('a partial failure redelivers only what was not stored', async () => {
    // The API stores the joins but answers `retry` for every leave the first time it sees it.
    api.answer = (event, seenBefore) => (event.type === 'leave' && seenBefore === 0 ? 'retry' : 'recorded');
    const users = await storm(10);
    await drained();
    const events = mine(users);
    expect(events.filter((e) => e.type === 'join')).toHaveLength(10);
    expect(events.filter((e) => e.type === 'leave')).toHaveLength(10);
    for (const e of events) expect(api.times(e.eventId)).toBe(e.type === 'join' ? 1 : 2);
  });

  it('an API without the batch route gets the events one by one, none lost', async () => {
    api.batches = false;
    const users = await storm(5);
    await drained();
    const events = mine(users);
    expect(events).toHaveLength(10);
    for (const e of events) {
      const singles = api.deliveries.filter((d) => d.path === ATTENDANCE_EVENTS_PATH && d.eventIds.includes(e.eventId));
      expect(singles).toHaveLength(1);
    }
  });
});
