import { askPlacement } from './placement';

describe('askPlacement', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  it('asks the bases in turn, skips a dead node and an answer that is not an http(s) address', async () => {
    const asked: string[] = [];
    global.fetch = jest.fn(async (input: string | URL | Request) => {
      const url = input instanceof Request ? input.url : input.toString();
      asked.push(url);
      if (url.startsWith('http://dead.test')) throw new TypeError('Failed to fetch');
      if (url.startsWith('http://odd.test')) return new Response(JSON.stringify({ url: 'javascript:alert(1)' }));
      return new Response(
        JSON.stringify({
          url: 'http://b.test:3001',
          nodes: ['http://b.test:3001', 'ftp://x', 42, 'http://a.test/live'],
        }),
      );
    }) as typeof fetch;
    const answer = await askPlacement(
      ['http://dead.test', 'http://odd.test', 'http://odd.test', 'not a url', 'http://a.test/live'],
      '6b0f137d839256c9165a05d6',
    );
    expect(answer).toEqual({ url: 'http://b.test:3001', nodes: ['http://b.test:3001', 'http://a.test/live'] });
    expect(asked).toEqual([
      'http://dead.test/placement?sessionId=6b0f137d839256c9165a05d6',
      'http://odd.test/placement?sessionId=6b0f137d839256c9165a05d6',
      'http://a.test/live/placement?sessionId=6b0f137d839256c9165a05d6',
    ]);
  });

  it('gives up on a node that does not answer in time', async () => {
    global.fetch = jest.fn(
      (_input: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    ) as typeof fetch;
    expect(await askPlacement(['http://silent.test'], 's', 20)).toBeNull();
  });
});
