/**
 * Real-browser harness: bundles the test client (test/support/live-test-client) with
 * esbuild, serves it from a tiny static server, and drives one Chromium
 * context per peer through `window.liveTest`.
 */
import { build } from 'esbuild';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Ack, ClientAckData, ClientEventName, RoomJoinResult } from '@balai/live-contract';
import type { ConsumerStats } from './live-test-client/client';

const ROOT = join(__dirname, '..', '..');

export async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'test/support/live-test-client/client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

export interface StaticSite {
  url: string;
  close(): Promise<void>;
}

export async function serveClient(): Promise<StaticSite> {
  const code = await bundleClient();
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>live test</title></head><body><script src="/client.js"></script></body></html>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(code);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One user in one browser context. */
export class BrowserPeer {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly name: string,
  ) {}

  static async open(browser: Browser, site: StaticSite, name: string): Promise<BrowserPeer> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForFunction(() => !!window.liveTest);
    return new BrowserPeer(context, page, name);
  }

  connect(liveUrl: string, token: string): Promise<void> {
    return this.page.evaluate(([url, t]) => window.liveTest.connect(url, t), [liveUrl, token] as const);
  }

  connectAndJoin(liveUrl: string, token: string, sessionId: string): Promise<Ack<RoomJoinResult>> {
    return this.page.evaluate(([url, t, id]) => window.liveTest.connectAndJoin(url, t, id), [
      liveUrl,
      token,
      sessionId,
    ] as const);
  }

  /** On a lost connection, reconnect where these live nodes' GET /placement points (issue 14). */
  usePlacement(urls: string[]): Promise<void> {
    return this.page.evaluate((u) => window.liveTest.usePlacement(u), urls);
  }

  join(sessionId: string): Promise<Ack<RoomJoinResult>> {
    return this.page.evaluate((id) => window.liveTest.join(id), sessionId);
  }

  async joinOk(sessionId: string): Promise<RoomJoinResult> {
    const ack = await this.join(sessionId);
    if (!ack.ok) throw new Error(`${this.name} could not join: ${ack.error.code}`);
    return ack.data;
  }

  publish(sources: Array<'camera' | 'mic' | 'screen'>): Promise<Record<string, string>> {
    return this.page.evaluate((s) => window.liveTest.publish(s), sources);
  }

  request<E extends ClientEventName>(event: E, payload: unknown = {}): Promise<Ack<ClientAckData[E]>> {
    return this.page.evaluate(([e, p]) => window.liveTest.request(e as E, p), [event, payload] as const);
  }

  stats(): Promise<ConsumerStats[]> {
    return this.page.evaluate(() => window.liveTest.stats());
  }

  firstFrame(timeoutMs = 15_000): Promise<number> {
    return this.page.evaluate((t) => window.liveTest.firstFrame(t), timeoutMs);
  }

  marks(): Promise<Record<string, number>> {
    return this.page.evaluate(() => ({ ...window.liveTest.marks }));
  }

  events(name: string): Promise<unknown[]> {
    return this.page.evaluate((n) => window.liveTest.eventsNamed(n), name);
  }

  dropConnection(): Promise<void> {
    return this.page.evaluate(() => window.liveTest.dropConnection());
  }

  connected(): Promise<boolean> {
    return this.page.evaluate(() => window.liveTest.connected);
  }

  /** Polls the consumer stats until `accept` holds; returns the last stats. */
  async waitForStats(accept: (stats: ConsumerStats[]) => boolean, timeoutMs: number): Promise<ConsumerStats[]> {
    const deadline = Date.now() + timeoutMs;
    let last: ConsumerStats[] = [];
    while (Date.now() < deadline) {
      last = await this.stats();
      if (accept(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(
      `${this.name}: media condition not met in ${timeoutMs} ms; stats ${JSON.stringify(last)}; errors ${JSON.stringify(await this.events('client-error'))}`,
    );
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

/** Video decoded and audio received from a given peer (matched by the consumer's SSRC). */
export function receivesFrom(peerId: string, source: 'camera' | 'screen' = 'camera', audio = true) {
  return (stats: ConsumerStats[]) => {
    const video = stats.find((s) => s.peerId === peerId && s.kind === 'video' && s.source === source);
    const mic = stats.find((s) => s.peerId === peerId && s.kind === 'audio');
    return !!video && video.framesDecoded > 0 && (!audio || (!!mic && mic.packetsReceived > 0));
  };
}
