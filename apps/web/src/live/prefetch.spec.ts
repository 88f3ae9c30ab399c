/**
 * "Is this session recorded?" (told before entering, issue 13) is asked on
 * "Kelas saya", so entering does not wait one more round trip for it on a weak
 * link (#10); an answer older than a minute is asked again.
 */
jest.mock('../api/client', () => ({ getAccessToken: () => 'token', refreshTokens: async () => false, api: {} }));
jest.mock('./endpoint', () => ({
  recentLiveEndpoint: () => null,
  resolveLiveEndpoint: async () => null,
  fetchLiveEndpoint: async () => null,
}));
const recordingEntryStatus = jest.fn(async (id: string) => ({ recording: id === 'rec', autoRecord: false }));
jest.mock('../screens/recordings/entry-notice', () => ({ recordingEntryStatus }));

import { ENTRY_STATUS_FRESH_MS, prefetchedEntryStatus, warmLiveConnection } from './prefetch';

describe('entry status prefetched on "Kelas saya"', () => {
  it('is used while fresh, asked once per session, and not used once older than a minute', async () => {
    expect(prefetchedEntryStatus('rec')).toBeNull();
    warmLiveConnection('rec');
    warmLiveConnection('rec'); // a second button for the same session
    const now = Date.now();
    await expect(prefetchedEntryStatus('rec', now)).resolves.toEqual({ recording: true, autoRecord: false });
    expect(recordingEntryStatus).toHaveBeenCalledTimes(1);
    expect(prefetchedEntryStatus('rec', now + ENTRY_STATUS_FRESH_MS + 1)).toBeNull();
    expect(prefetchedEntryStatus('other', now)).toBeNull();
  });
});
