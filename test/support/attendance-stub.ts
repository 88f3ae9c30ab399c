/** A stand-in for the API's internal attendance endpoints (single and batch): records what the live service POSTs. */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ATTENDANCE_EVENTS_BATCH_PATH, ATTENDANCE_EVENTS_PATH } from '@balai/domain';
import type { AttendanceEvent } from '@balai/domain';

export interface AttendanceStub {
  url: string;
  events: Array<AttendanceEvent & { token?: string }>;
  /** While true the stub answers 503 (the API is "down"). */
  down: boolean;
  /** Requests answered 503 while down: proof the sender tried (and retried) without sleeping. */
  refused: number;
  /** Batches received (the live service delivers in batches). */
  batches: number;
  close(): Promise<void>;
}

export async function startAttendanceStub(): Promise<AttendanceStub> {
  const stub = { events: [], down: false, refused: 0, batches: 0 } as unknown as AttendanceStub;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (stub.down) {
        stub.refused += 1;
        res.writeHead(503).end();
        return;
      }
      const header = req.headers['x-internal-token'];
      const store = (event: AttendanceEvent) => {
        if (!stub.events.some((e) => e.eventId === event.eventId)) {
          stub.events.push({ ...event, token: typeof header === 'string' ? header : undefined });
        }
      };
      if (req.url === ATTENDANCE_EVENTS_BATCH_PATH) {
        const { events } = JSON.parse(body) as { events: AttendanceEvent[] };
        stub.batches += 1;
        events.forEach(store);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ results: events.map((e) => ({ eventId: e.eventId, result: 'recorded' })) }));
        return;
      }
      store(JSON.parse(body) as AttendanceEvent);
      res.writeHead(req.url === ATTENDANCE_EVENTS_PATH ? 202 : 404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}
