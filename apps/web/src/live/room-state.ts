/**
 * The live room's state and the pure reducer of the server's notifications.
 * Nothing here touches the socket, mediasoup or the DOM: the LiveClient feeds
 * notifications in and does the side effects (closing consumers, stopping
 * tracks) itself, so every rule about what the screen shows is testable in
 * isolation (room-state.spec.ts).
 */
import { LiveErrorCode } from '@balai/live-contract/errors';
import type { LiveError } from '@balai/live-contract/errors';
import type {
  ChatMessageInfo,
  MediaSource,
  NetworkQuality,
  PeerInfo,
  ProducerInfo,
  RoomJoinResult,
} from '@balai/live-contract/payloads';
import type { ServerNotification } from '@balai/live-contract/socket';
import type { RecordingNotice, RecordingStatus } from '@balai/live-contract/recording';
import { initialInteractionState, InteractionState, reduceInteraction } from './interaction/interaction-state';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'removed' | 'error';

/** Why the room is not (yet) live, shown in words to the participant. */
export type ConnectionCause = 'network' | 'live-unreachable' | 'server-restart' | 'room-moving' | 'config-unreachable';

/** A media failure the participant must be told about (never a silent room). */
export type MediaProblem = 'unsupported' | 'insecure' | 'ice-failed' | 'no-media';

export interface RemoteMedia {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  track: MediaStreamTrack;
  paused: boolean;
}

/** What the receiver measured over the last sample (see quality-monitor.ts). */
export interface ReceiverMeasures {
  lossPercent: number;
  jitterMs: number;
  framesPerSecond: number;
  freezesPerMinute: number;
  rttMs: number;
  /** Decode time per frame of the main video (ms): a busy CPU shows here, a weak link does not. */
  decodeMsPerFrame?: number;
  /** How late the sample came (timer lateness + time getStats took, ms): the page's own CPU starvation. */
  lagMs?: number;
  /** The lowest round trip of the last minute (ms): the path's own, which CPU load does not inflate. */
  baseRttMs?: number;
}

type Sources<T> = Record<MediaSource, T>;

export interface LiveState {
  status: LiveStatus;
  error: LiveError | null;
  /** While connecting/reconnecting: why, and how many attempts so far. */
  cause: ConnectionCause | null;
  attempt: number;
  self: PeerInfo | null;
  peers: Record<string, PeerInfo>;
  producers: Record<string, ProducerInfo>;
  /** By consumerId. */
  media: Record<string, RemoteMedia>;
  chat: ChatMessageInfo[];
  hands: string[];
  activeSpeaker: string | null;
  /** null while measuring (no data yet). */
  quality: NetworkQuality | null;
  measures: ReceiverMeasures | null;
  audioOnly: boolean;
  offerAudioOnly: boolean;
  offerDeclined: boolean;
  /** Tracks the user wants to send (kept across reconnects and media restarts). */
  local: Sources<MediaStreamTrack | null>;
  /** Which of them a live producer carries right now. */
  sending: Sources<boolean>;
  /** Our own producers: producerId -> source. */
  ownProducers: Record<string, MediaSource>;
  mutedByHost: boolean;
  invited: { camera: boolean } | null;
  endsAt: string | null;
  endReason: string | null;
  mediaProblem: MediaProblem | null;
  /** Q&A and polls (issue 12; interaction/interaction-state.ts). */
  interaction: InteractionState;
  /** Recording of the session (issue 13): "● Merekam" while `recording`; notices reach the staff only. */
  recording: RecordingStatus | null;
  recordingNotice: RecordingNotice | null;
}

export const initialLiveState = (): LiveState => ({
  status: 'connecting',
  error: null,
  cause: null,
  attempt: 0,
  self: null,
  peers: {},
  producers: {},
  media: {},
  chat: [],
  hands: [],
  activeSpeaker: null,
  quality: null,
  measures: null,
  audioOnly: false,
  offerAudioOnly: false,
  offerDeclined: false,
  local: { mic: null, camera: null, screen: null },
  sending: { mic: false, camera: false, screen: false },
  ownProducers: {},
  mutedByHost: false,
  invited: null,
  endsAt: null,
  endReason: null,
  mediaProblem: null,
  interaction: initialInteractionState(),
  recording: null,
  recordingNotice: null,
});

const CHAT_KEPT = 300;

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

function withoutMediaOf(media: Record<string, RemoteMedia>, producerId: string): Record<string, RemoteMedia> {
  const kept = Object.entries(media).filter(([, m]) => m.producerId !== producerId);
  return kept.length === Object.keys(media).length ? media : Object.fromEntries(kept);
}

/** Our producer `producerId` is gone; `stopped` says whether the user's track goes too. */
function ownProducerGone(s: LiveState, producerId: string, stopped: boolean, mutedByHost: boolean): LiveState {
  const source = s.ownProducers[producerId];
  if (!source) return s;
  return {
    ...s,
    ownProducers: without(s.ownProducers, producerId),
    sending: { ...s.sending, [source]: false },
    local: stopped ? { ...s.local, [source]: null } : s.local,
    mutedByHost: mutedByHost && source === 'mic' ? true : s.mutedByHost,
  };
}

/** The room as the join answered it (first join and every re-join). */
export function joined(s: LiveState, r: RoomJoinResult): LiveState {
  const peers: Record<string, PeerInfo> = {};
  for (const p of r.peers) peers[p.peerId] = p;
  peers[r.self.peerId] = r.self;
  const producers: Record<string, ProducerInfo> = {};
  for (const p of r.producers) producers[p.producerId] = p;
  return {
    ...s,
    status: 'live',
    error: null,
    cause: null,
    attempt: 0,
    self: r.self,
    peers,
    producers,
    media: {},
    chat: r.chat,
    hands: r.hands,
    activeSpeaker: r.activeSpeakerPeerId,
    endsAt: r.endsAt,
    ownProducers: {},
    sending: { mic: false, camera: false, screen: false },
  };
}

/** The connection dropped or a join is being retried: never show "live" indicators meanwhile. */
export function disconnected(s: LiveState, cause: ConnectionCause, attempt = s.attempt): LiveState {
  if (s.status === 'ended' || s.status === 'removed') return s;
  return {
    ...s,
    status: s.self ? 'reconnecting' : 'connecting',
    cause,
    attempt,
    media: {},
    ownProducers: {},
    sending: { mic: false, camera: false, screen: false },
    quality: null,
    measures: null,
  };
}

export function failed(s: LiveState, error: LiveError): LiveState {
  return { ...s, status: 'error', error };
}

/** Apply one server notification. Pure: same input, same output. */
export function reduce(s: LiveState, n: ServerNotification): LiveState {
  switch (n.event) {
    case 'peer:joined':
      return { ...s, peers: { ...s.peers, [n.payload.peerId]: n.payload } };
    case 'peer:updated': {
      const p = n.payload;
      const isSelf = s.self?.peerId === p.peerId;
      return { ...s, peers: { ...s.peers, [p.peerId]: p }, self: isSelf ? p : s.self };
    }
    case 'peer:left':
      return { ...s, peers: without(s.peers, n.payload.peerId), hands: s.hands.filter((h) => h !== n.payload.peerId) };
    case 'peers:changed': {
      // A large room's presence in one message: each present peer as 'peer:updated', then the leaves.
      const peers = { ...s.peers };
      let self = s.self;
      for (const p of n.payload.peers) {
        peers[p.peerId] = p;
        if (self?.peerId === p.peerId) self = p;
      }
      for (const peerId of n.payload.left) delete peers[peerId];
      const gone = new Set(n.payload.left);
      return { ...s, peers, self, hands: gone.size ? s.hands.filter((h) => !gone.has(h)) : s.hands };
    }
    case 'producer:new':
      return { ...s, producers: { ...s.producers, [n.payload.producerId]: n.payload } };
    case 'producer:closed': {
      const { producerId, reason } = n.payload;
      const base = { ...s, producers: without(s.producers, producerId), media: withoutMediaOf(s.media, producerId) };
      // 'media-restart': the room's media is rebuilt and we re-publish the same track by ourselves.
      return ownProducerGone(base, producerId, reason !== 'media-restart', reason === 'moderation');
    }
    case 'producer:paused': {
      const { producerId, paused } = n.payload;
      const p = s.producers[producerId];
      const media = Object.fromEntries(
        Object.entries(s.media).map(([k, m]) => [k, m.producerId === producerId ? { ...m, paused } : m]),
      );
      const next = { ...s, producers: p ? { ...s.producers, [producerId]: { ...p, paused } } : s.producers, media };
      // A host paused one of ours (mute): only a new producer can be heard again, so it is dropped.
      return paused ? ownProducerGone(next, producerId, true, true) : next;
    }
    case 'consumer:closed':
      return { ...s, media: without(s.media, n.payload.consumerId) };
    case 'consumer:layers':
      return s;
    case 'speaker:active':
      return { ...s, activeSpeaker: n.payload.peerId };
    case 'chat:message':
      return s.chat.some((c) => c.id === n.payload.id) ? s : { ...s, chat: [...s.chat, n.payload].slice(-CHAT_KEPT) };
    case 'chat:deleted':
      return { ...s, chat: s.chat.filter((c) => c.id !== n.payload.messageId) };
    case 'hands:updated':
      return { ...s, hands: n.payload.queue };
    case 'speak:granted':
      return { ...s, invited: { camera: !!n.payload.camera } };
    case 'speak:revoked':
      return { ...s, invited: null };
    case 'media:audio-only-suggested':
      return s.audioOnly || s.offerDeclined ? s : { ...s, offerAudioOnly: true };
    case 'media:restart':
      return { ...s, media: {}, ownProducers: {}, sending: { mic: false, camera: false, screen: false } };
    case 'room:removed': {
      const { reason, message } = n.payload;
      if (reason === 'session-ended') return { ...s, status: 'ended', endReason: 'session-ended', error: null };
      return { ...s, status: 'removed', endReason: reason, error: { code: LiveErrorCode.Removed, message } };
    }
    case 'session:ended':
      return { ...s, status: 'ended', endReason: n.payload.reason, error: null };
    case 'server:shutdown':
      return disconnected(s, 'server-restart');
    case 'qna:question':
    case 'qna:votes':
    case 'qna:pinned':
    case 'poll:updated':
    case 'poll:counts':
      return { ...s, interaction: reduceInteraction(s.interaction, n) };
    case 'recording:status':
      return { ...s, recording: n.payload };
    case 'recording:notice':
      return { ...s, recordingNotice: n.payload };
  }
}

/** A consumer is attached (its track exists). */
export function consumerAdded(s: LiveState, m: RemoteMedia): LiveState {
  return { ...s, media: { ...s.media, [m.consumerId]: m } };
}

export function consumerRemoved(s: LiveState, consumerId: string): LiveState {
  return { ...s, media: without(s.media, consumerId) };
}

export function published(s: LiveState, source: MediaSource, producerId: string, track: MediaStreamTrack): LiveState {
  const ownProducers = Object.fromEntries(Object.entries(s.ownProducers).filter(([, src]) => src !== source));
  return {
    ...s,
    ownProducers: { ...ownProducers, [producerId]: source },
    sending: { ...s.sending, [source]: true },
    local: { ...s.local, [source]: track },
    mutedByHost: source === 'mic' ? false : s.mutedByHost,
  };
}

export function unpublished(s: LiveState, source: MediaSource): LiveState {
  const ownProducers = Object.fromEntries(Object.entries(s.ownProducers).filter(([, src]) => src !== source));
  return { ...s, ownProducers, sending: { ...s.sending, [source]: false }, local: { ...s.local, [source]: null } };
}
