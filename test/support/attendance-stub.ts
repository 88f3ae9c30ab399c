/** A stand-in for the API's internal attendance endpoint: records what the live service POSTs. */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { AttendanceEvent } from '@balai/domain';

export interface AttendanceStub {
  url: string;
  events: Array<AttendanceEvent & { token?: string }>;
  /** While true the stub answers 503 (the API is "down"). */
  down: boolean;
  /** Requests answered 503 while down: proof the sender tried (and retried) without sleeping. */
  refused: number;
  close(): Promise<void>;
}

export async function startAttendanceStub(): Promise<AttendanceStub> {
  const stub = { events: [], down: false, refused: 0 } as unknown as AttendanceStub;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (stub.down) {
        stub.refused += 1;
        res.writeHead(503).end();
        return;
      }
      const event = JSON.parse(body) as AttendanceEvent;
      const header = req.headers['x-internal-token'];
      if (!stub.events.some((e) => e.eventId === event.eventId)) {
        stub.events.push({ ...event, token: typeof header === 'string' ? header : undefined });
      }
      res.writeHead(req.url === '/api/internal/attendance/events' ? 202 : 404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}
