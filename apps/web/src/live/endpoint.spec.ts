/** The live address: a fresh answer saves "Masuk kelas" a round trip (#10), a stale or missing one does not. */
jest.mock('../api/client', () => ({ api: { liveConfig: jest.fn() } }));

import { api } from '../api/client';
import { cachedLiveEndpoint, fetchLiveEndpoint, recentLiveEndpoint } from './endpoint';

const liveConfig = api.liveConfig as jest.Mock;

describe('live endpoint', () => {
  beforeEach(() => localStorage.clear());

  it("uses the API's answer of the last minutes without asking again, not an older one, not a removed one", async () => {
    liveConfig.mockResolvedValueOnce({ liveUrl: 'https://live.example', socketPath: '/socket.io' });
    expect(recentLiveEndpoint()).toBeNull();
    const now = Date.now();
    expect(await fetchLiveEndpoint()).toEqual({ url: 'https://live.example', path: '/socket.io' });
    expect(recentLiveEndpoint(5 * 60_000, now + 60_000)).toEqual({ url: 'https://live.example', path: '/socket.io' });
    expect(recentLiveEndpoint(5 * 60_000, now + 6 * 60_000)).toBeNull();
    // Still remembered for an API outage, whatever its age.
    expect(cachedLiveEndpoint()).toEqual({ url: 'https://live.example', path: '/socket.io' });
    localStorage.removeItem('balai.liveEndpoint');
    expect(recentLiveEndpoint()).toBeNull();
  });
});
