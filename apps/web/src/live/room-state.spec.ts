import type { PeerInfo, ProducerInfo, RoomJoinResult } from '@balai/live-contract';
import {
  consumerAdded,
  disconnected,
  initialLiveState,
  joined,
  LiveState,
  published,
  reduce,
  RemoteMedia,
} from './room-state';

const track = (kind: 'audio' | 'video' = 'video') =>
  ({ kind, id: `t-${Math.random()}` }) as unknown as MediaStreamTrack;

const peer = (peerId: string, over: Partial<PeerInfo> = {}): PeerInfo => ({
  peerId,
  userId: `u-${peerId}`,
  name: peerId,
  role: 'participant',
  canSpeak: false,
  canCamera: false,
  handRaised: false,
  ...over,
});

const producer = (producerId: string, peerId: string, source: ProducerInfo['source'] = 'camera'): ProducerInfo => ({
  producerId,
  peerId,
  kind: source === 'mic' ? 'audio' : 'video',
  source,
  paused: false,
});

const media = (consumerId: string, p: ProducerInfo): RemoteMedia => ({
  consumerId,
  producerId: p.producerId,
  peerId: p.peerId,
  kind: p.kind,
  source: p.source,
  track: track(p.kind),
  paused: false,
});

function joinResult(over: Partial<RoomJoinResult> = {}): RoomJoinResult {
  return {
    sessionId: 's1',
    self: peer('me', { role: 'host', canSpeak: true, canCamera: true }),
    peers: [peer('host2', { role: 'moderator' }), peer('rina')],
    producers: [producer('p-cam', 'host2')],
    chat: [],
    hands: [],
    activeSpeakerPeerId: null,
    routerRtpCapabilities: { codecs: [] },
    iceServers: [],
    endsAt: '2026-12-01T10:00:00.000Z',
    ...over,
  };
}

/** A host in a room who publishes camera and microphone, receiving one camera. */
function hostPublishing(): { sut: LiveState; mic: MediaStreamTrack; cam: MediaStreamTrack } {
  const mic = track('audio');
  const cam = track('video');
  let sut = joined(initialLiveState(), joinResult());
  sut = consumerAdded(sut, media('c-cam', producer('p-cam', 'host2')));
  sut = published(sut, 'mic', 'own-mic', mic);
  sut = published(sut, 'camera', 'own-cam', cam);
  return { sut, mic, cam };
}

describe('live room reducer', () => {
  it('a join makes the room live with self among the peers and the producers by id', () => {
    const sut = joined(initialLiveState(), joinResult());
    expect(sut.status).toBe('live');
    expect(Object.keys(sut.peers).sort()).toEqual(['host2', 'me', 'rina']);
    expect(sut.producers['p-cam']?.peerId).toBe('host2');
    expect(sut.endsAt).toBe('2026-12-01T10:00:00.000Z');
  });

  it('a producer closed by moderation stops our microphone and says so', () => {
    const { sut } = hostPublishing();
    const next = reduce(sut, { event: 'producer:closed', payload: { producerId: 'own-mic', reason: 'moderation' } });
    expect(next.local.mic).toBeNull();
    expect(next.sending.mic).toBe(false);
    expect(next.mutedByHost).toBe(true);
    expect(next.local.camera).not.toBeNull();
  });

  it('a producer closed for a media restart keeps our track to re-publish and shows no moderation message', () => {
    const { sut, mic } = hostPublishing();
    const next = reduce(sut, { event: 'producer:closed', payload: { producerId: 'own-mic', reason: 'media-restart' } });
    expect(next.local.mic).toBe(mic);
    expect(next.sending.mic).toBe(false);
    expect(next.mutedByHost).toBe(false);
  });

  it('a producer its owner closed is not a moderation message', () => {
    const { sut } = hostPublishing();
    const next = reduce(sut, { event: 'producer:closed', payload: { producerId: 'own-cam', reason: 'owner' } });
    expect(next.mutedByHost).toBe(false);
    expect(next.local.camera).toBeNull();
  });

  it("someone else's producer closing removes its media and the producer", () => {
    const { sut } = hostPublishing();
    const next = reduce(sut, { event: 'producer:closed', payload: { producerId: 'p-cam', reason: 'owner' } });
    expect(next.producers['p-cam']).toBeUndefined();
    expect(Object.keys(next.media)).toEqual([]);
    expect(next.local.mic).not.toBeNull();
  });

  it('media:restart drops consumers and marks nothing as sent, keeping the tracks to publish again', () => {
    const { sut, mic, cam } = hostPublishing();
    const next = reduce(sut, {
      event: 'media:restart',
      payload: { reason: 'worker-died', routerRtpCapabilities: { codecs: [] } },
    });
    expect(next.media).toEqual({});
    expect(next.sending).toEqual({ mic: false, camera: false, screen: false });
    expect(next.local.mic).toBe(mic);
    expect(next.local.camera).toBe(cam);
    expect(next.mutedByHost).toBe(false);
  });

  it('a host pausing our microphone (mute) drops it and says so', () => {
    const { sut } = hostPublishing();
    const next = reduce(sut, { event: 'producer:paused', payload: { producerId: 'own-mic', paused: true } });
    expect(next.local.mic).toBeNull();
    expect(next.mutedByHost).toBe(true);
  });

  it("a remote producer's pause marks its media paused", () => {
    const { sut } = hostPublishing();
    const next = reduce(sut, { event: 'producer:paused', payload: { producerId: 'p-cam', paused: true } });
    expect(next.media['c-cam']?.paused).toBe(true);
    expect(next.producers['p-cam']?.paused).toBe(true);
  });

  it('publishing again after a host mute clears the message', () => {
    const { sut } = hostPublishing();
    const muted = reduce(sut, { event: 'producer:paused', payload: { producerId: 'own-mic', paused: true } });
    const next = published(muted, 'mic', 'own-mic-2', track('audio'));
    expect(next.mutedByHost).toBe(false);
    expect(next.ownProducers['own-mic-2']).toBe('mic');
    expect(next.ownProducers['own-mic']).toBeUndefined();
  });

  it('peer:left removes the peer and their raised hand', () => {
    const sut = { ...joined(initialLiveState(), joinResult()), hands: ['rina'] };
    const next = reduce(sut, { event: 'peer:left', payload: { peerId: 'rina' } });
    expect(next.peers.rina).toBeUndefined();
    expect(next.hands).toEqual([]);
  });

  it("peers:changed (a large room's presence) adds and updates peers, self included, and removes the gone with their hands", () => {
    const sut = { ...joined(initialLiveState(), joinResult()), hands: ['rina'] };
    const dewi = { ...sut.peers.rina!, peerId: 'dewi', userId: 'dewi', name: 'Dewi' };
    const next = reduce(sut, {
      event: 'peers:changed',
      payload: { peers: [dewi, { ...sut.self!, handRaised: true }], left: ['rina', 'never-seen'] },
    });
    expect(next.peers.dewi).toEqual(dewi);
    expect(next.peers.rina).toBeUndefined();
    expect(next.self?.handRaised).toBe(true);
    expect(next.peers.me?.handRaised).toBe(true);
    expect(next.hands).toEqual([]);
  });

  it('peer:updated for self replaces self', () => {
    const sut = joined(initialLiveState(), joinResult());
    const next = reduce(sut, { event: 'peer:updated', payload: { ...sut.self!, handRaised: true } });
    expect(next.self?.handRaised).toBe(true);
    expect(next.peers.me?.handRaised).toBe(true);
  });

  it('a chat message is added once, however often it arrives', () => {
    const sut = joined(initialLiveState(), joinResult());
    const m = { id: 'm1', peerId: 'rina', name: 'Rina', text: 'Halo', at: '2026-12-01T09:00:00.000Z' };
    const once = reduce(sut, { event: 'chat:message', payload: m });
    expect(reduce(once, { event: 'chat:message', payload: m }).chat).toHaveLength(1);
    expect(reduce(once, { event: 'chat:deleted', payload: { messageId: 'm1' } }).chat).toEqual([]);
  });

  it('the audio-only suggestion is an offer unless it was declined or audio-only is on', () => {
    const sut = joined(initialLiveState(), joinResult());
    const n = { event: 'media:audio-only-suggested', payload: { quality: 'poor' } } as const;
    expect(reduce(sut, n).offerAudioOnly).toBe(true);
    expect(reduce({ ...sut, offerDeclined: true }, n).offerAudioOnly).toBe(false);
    expect(reduce({ ...sut, audioOnly: true }, n).offerAudioOnly).toBe(false);
  });

  it('speak:granted and speak:revoked set and clear the invitation', () => {
    const sut = joined(initialLiveState(), joinResult());
    const invited = reduce(sut, { event: 'speak:granted', payload: { camera: true } });
    expect(invited.invited).toEqual({ camera: true });
    expect(reduce(invited, { event: 'speak:revoked', payload: {} }).invited).toBeNull();
  });

  it('removal and the end of the session end the room', () => {
    const sut = joined(initialLiveState(), joinResult());
    const removed = reduce(sut, { event: 'room:removed', payload: { reason: 'removed', message: 'Dikeluarkan' } });
    expect(removed.status).toBe('removed');
    expect(removed.error?.code).toBe('REMOVED');
    expect(reduce(sut, { event: 'session:ended', payload: { sessionId: 's1', reason: 'ended-by-host' } }).status).toBe(
      'ended',
    );
    expect(reduce(sut, { event: 'room:removed', payload: { reason: 'session-ended', message: '' } }).status).toBe(
      'ended',
    );
  });

  it('a server shutdown shows reconnecting with its cause and no quality or sending claims', () => {
    const { sut } = hostPublishing();
    const next = reduce(
      { ...sut, quality: 'good' },
      { event: 'server:shutdown', payload: { reason: 'shutdown', retryInMs: 500, message: '' } },
    );
    expect(next.status).toBe('reconnecting');
    expect(next.cause).toBe('server-restart');
    expect(next.quality).toBeNull();
    expect(next.sending.camera).toBe(false);
    expect(next.local.camera).not.toBeNull();
  });

  it('a drop before the first join is "connecting", after it "reconnecting"; an ended room stays ended', () => {
    expect(disconnected(initialLiveState(), 'network', 2)).toMatchObject({
      status: 'connecting',
      cause: 'network',
      attempt: 2,
    });
    const live = joined(initialLiveState(), joinResult());
    expect(disconnected(live, 'room-moving').status).toBe('reconnecting');
    const ended = reduce(live, { event: 'session:ended', payload: { sessionId: 's1', reason: 'time-up' } });
    expect(disconnected(ended, 'network').status).toBe('ended');
  });

  it('a re-join clears the cause and the attempt count', () => {
    const down = disconnected(joined(initialLiveState(), joinResult()), 'room-moving', 4);
    expect(joined(down, joinResult())).toMatchObject({ status: 'live', cause: null, attempt: 0 });
  });

  it('hands, active speaker and consumer notices update the state', () => {
    const sut = joined(initialLiveState(), joinResult());
    expect(reduce(sut, { event: 'hands:updated', payload: { queue: ['rina'] } }).hands).toEqual(['rina']);
    expect(reduce(sut, { event: 'speaker:active', payload: { peerId: 'host2' } }).activeSpeaker).toBe('host2');
    const withMedia = consumerAdded(sut, media('c1', producer('p-cam', 'host2')));
    expect(
      reduce(withMedia, { event: 'consumer:closed', payload: { consumerId: 'c1', producerId: 'p-cam' } }).media,
    ).toEqual({});
    expect(
      reduce(withMedia, { event: 'consumer:layers', payload: { consumerId: 'c1', spatialLayer: 0, temporalLayer: 0 } }),
    ).toBe(withMedia);
  });
});
