/**
 * Run-time validators (zod) and types for every client -> server payload, and
 * the types of acks and server notifications. mediasoup's own parameter
 * objects (RTP/DTLS/capabilities) are checked for shape here and in depth by
 * mediasoup itself; they are typed loosely so this lib has no mediasoup import.
 */
import { z } from 'zod';
import { ClientEvent, ClientEventName } from './events';
import { RECORDING_PAYLOAD_SCHEMAS, RecordingAckData, RecordingNotifications } from './recording';
import { INTERACTION_PAYLOAD_SCHEMAS, InteractionAckData, InteractionNotifications } from './interaction';
import { storedText } from './text';
import type { DtlsParameters, IceCandidate, IceParameters, RtpCapabilities, RtpParameters } from './media-params';

export const CHAT_MAX_LENGTH = 1000;
const id = z.string().min(1).max(64);
const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'expected a 24-hex id');
const looseObject = z.object({}).passthrough();

export const RoomRoleSchema = z.enum(['host', 'moderator', 'participant']);
export type RoomRole = z.infer<typeof RoomRoleSchema>;
export const MediaSourceSchema = z.enum(['camera', 'mic', 'screen']);
export type MediaSource = z.infer<typeof MediaSourceSchema>;
export const NetworkQualitySchema = z.enum(['good', 'fair', 'poor', 'bad']);
export type NetworkQuality = z.infer<typeof NetworkQualitySchema>;

const empty = z.object({}).strict();

/**
 * `recvTransport: true` asks for the receive transport in the ack (what `transport:create` with
 * direction 'recv' returns): one round trip less before the first audio on a slow link (#10).
 */
export const RoomJoinSchema = z.object({ sessionId: objectId, recvTransport: z.boolean().optional() }).strict();
/**
 * `sessionId` lets a connection that is not (or no longer) in the room, e.g.
 * after the live node restarted, still record the user's leave of that session.
 */
export const RoomLeaveSchema = z.object({ sessionId: objectId.optional() }).strict();
export const SessionEndSchema = empty;

export const TransportCreateSchema = z
  .object({ direction: z.enum(['send', 'recv']), forceTcp: z.boolean().optional() })
  .strict();
export const TransportConnectSchema = z
  .object({
    transportId: id,
    dtlsParameters: z
      .object({
        role: z.enum(['auto', 'client', 'server']).optional(),
        fingerprints: z.array(z.object({ algorithm: z.string(), value: z.string() }).strict()).min(1),
      })
      .strict(),
  })
  .strict();
export const TransportRestartIceSchema = z.object({ transportId: id }).strict();

export const ProduceSchema = z
  .object({
    transportId: id,
    kind: z.enum(['audio', 'video']),
    source: MediaSourceSchema,
    rtpParameters: z
      .object({ codecs: z.array(looseObject).min(1), encodings: z.array(looseObject).optional() })
      .passthrough(),
  })
  .strict()
  .refine((p) => (p.source === 'mic') === (p.kind === 'audio'), {
    message: 'mic must be audio; camera and screen must be video',
    path: ['source'],
  });
export const ProducerCloseSchema = z.object({ producerId: id }).strict();

export const ConsumeSchema = z
  .object({
    transportId: id,
    producerId: id,
    rtpCapabilities: z.object({ codecs: z.array(looseObject).min(1) }).passthrough(),
  })
  .strict();
export const ConsumerResumeSchema = z.object({ consumerId: id }).strict();
export const ReportViewportSchema = z
  .object({
    consumerId: id,
    width: z.number().int().min(0).max(8192),
    height: z.number().int().min(0).max(8192),
  })
  .strict();
export const ReportNetworkSchema = z
  .object({
    quality: NetworkQualitySchema,
    /** Estimated downlink (bits/s), e.g. from the recv transport's stats. */
    availableBitrate: z.number().min(0).max(1e10).optional(),
    // Receiver measurements over the last few seconds (getStats of the inbound
    // streams): the server's layer policy and audio-only suggestion use them,
    // since Chromium often reports no available bitrate on a weak link.
    /** Packets lost / expected, in percent, over all inbound streams. */
    lossPercent: z.number().min(0).max(100).optional(),
    /** Inbound jitter in milliseconds (worst stream). */
    jitterMs: z.number().min(0).max(60_000).optional(),
    /** Decoded frames per second of the main video (0 when none is shown). */
    framesPerSecond: z.number().min(0).max(240).optional(),
    /** Video freezes per minute (Chromium's freezeCount, normalised). */
    freezesPerMinute: z.number().min(0).max(600).optional(),
    /**
     * The receiver's own CPU is the bottleneck (slow decoding, its stats sampled late): its jitter and
     * freezes are then not the network's, and audio-only is not suggested for them (#10).
     */
    deviceBusy: z.boolean().optional(),
  })
  .strict();
export const SetAudioOnlySchema = z.object({ enabled: z.boolean() }).strict();

export const ChatSendSchema = z
  .object({
    text: storedText(CHAT_MAX_LENGTH, 'empty message'),
  })
  .strict();
export const ChatDeleteSchema = z.object({ messageId: objectId }).strict();

export const HandRaiseSchema = empty;
/** Without `peerId` a participant lowers their own hand; hosts may lower anyone's. */
export const HandLowerSchema = z.object({ peerId: id.optional() }).strict();
export const SpeakInviteSchema = z.object({ peerId: id, camera: z.boolean().default(false) }).strict();
export const SpeakRevokeSchema = z.object({ peerId: id }).strict();
export const ModerationMuteSchema = z.object({ peerId: id }).strict();
export const ModerationStopCameraSchema = z.object({ peerId: id }).strict();
export const ModerationRemoveSchema = z.object({ peerId: id, reason: storedText(200).optional() }).strict();

/** Every client event's validator: the gateway validates with exactly this map. */
export const CLIENT_PAYLOAD_SCHEMAS = {
  [ClientEvent.RoomJoin]: RoomJoinSchema,
  [ClientEvent.RoomLeave]: RoomLeaveSchema,
  [ClientEvent.SessionEnd]: SessionEndSchema,
  [ClientEvent.TransportCreate]: TransportCreateSchema,
  [ClientEvent.TransportConnect]: TransportConnectSchema,
  [ClientEvent.TransportRestartIce]: TransportRestartIceSchema,
  [ClientEvent.Produce]: ProduceSchema,
  [ClientEvent.ProducerClose]: ProducerCloseSchema,
  [ClientEvent.Consume]: ConsumeSchema,
  [ClientEvent.ConsumerResume]: ConsumerResumeSchema,
  [ClientEvent.ReportViewport]: ReportViewportSchema,
  [ClientEvent.ReportNetwork]: ReportNetworkSchema,
  [ClientEvent.SetAudioOnly]: SetAudioOnlySchema,
  [ClientEvent.ChatSend]: ChatSendSchema,
  [ClientEvent.ChatDelete]: ChatDeleteSchema,
  [ClientEvent.HandRaise]: HandRaiseSchema,
  [ClientEvent.HandLower]: HandLowerSchema,
  [ClientEvent.SpeakInvite]: SpeakInviteSchema,
  [ClientEvent.SpeakRevoke]: SpeakRevokeSchema,
  [ClientEvent.ModerationMute]: ModerationMuteSchema,
  [ClientEvent.ModerationStopCamera]: ModerationStopCameraSchema,
  [ClientEvent.ModerationRemove]: ModerationRemoveSchema,
  ...RECORDING_PAYLOAD_SCHEMAS,
  ...INTERACTION_PAYLOAD_SCHEMAS,
} as const satisfies Record<ClientEventName, z.ZodTypeAny>;

export type ClientPayload<E extends ClientEventName> = z.input<(typeof CLIENT_PAYLOAD_SCHEMAS)[E]>;
export type ParsedClientPayload<E extends ClientEventName> = z.output<(typeof CLIENT_PAYLOAD_SCHEMAS)[E]>;

// ---- Ack payloads and notifications (server -> client) ----

export interface PeerInfo {
  peerId: string;
  userId: string;
  name: string;
  role: RoomRole;
  /** May publish: host/moderator always; participants while invited. */
  canSpeak: boolean;
  canCamera: boolean;
  handRaised: boolean;
}

export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  paused: boolean;
}

export interface ChatMessageInfo {
  id: string;
  peerId: string;
  name: string;
  text: string;
  at: string;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface RoomJoinResult {
  sessionId: string;
  self: PeerInfo;
  peers: PeerInfo[];
  producers: ProducerInfo[];
  chat: ChatMessageInfo[];
  hands: string[];
  activeSpeakerPeerId: string | null;
  /** mediasoup router RTP capabilities (load the client Device with these). */
  routerRtpCapabilities: RtpCapabilities;
  iceServers: IceServer[];
  endsAt: string;
  /** The receive transport, when `room:join` asked for it (absent if it could not be made: ask transport:create). */
  recvTransport?: TransportCreateResult;
}

export interface TransportCreateResult {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
  iceServers: IceServer[];
}

export interface ConsumeResult {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  rtpParameters: RtpParameters;
  /** Always true: resume with `media:consumer-resume` once the track is attached. */
  paused: boolean;
}

export interface ConsumerLayersNotice {
  consumerId: string;
  spatialLayer: number;
  temporalLayer: number;
}

export interface RemovedNotice {
  reason: 'removed' | 'replaced' | 'session-ended';
  message: string;
}

export interface SessionEndedNotice {
  sessionId: string;
  reason: 'ended-by-host' | 'time-up';
}

/**
 * Why a producer went away. Only 'moderation' is a host's action the client
 * should announce ("Mikrofon Anda dimatikan oleh pelatih"); 'owner' means its
 * publisher closed it; 'media-restart' means the media of the room is being
 * rebuilt (the publisher re-publishes by itself after `media:restart`).
 */
export type ProducerClosedReason = 'moderation' | 'owner' | 'media-restart';

export interface ProducerClosedNotice {
  producerId: string;
  reason: ProducerClosedReason;
}

/**
 * The live node is going away (graceful shutdown, deploy). The room is released
 * on this node; the client should reconnect and run room:join again after
 * `retryInMs`, retrying a refused or failed join with backoff.
 */
export interface ServerShutdownNotice {
  reason: 'shutdown';
  retryInMs: number;
  message: string;
}

export interface MediaRestartNotice {
  reason: 'worker-died';
  routerRtpCapabilities: RtpCapabilities;
}

export interface SpeakGrantedNotice {
  camera: boolean;
}

/**
 * Presence in a large room (more than about 50 people), sent instead of one `peer:joined`, `peer:updated` or
 * `peer:left` per change: `peers` are present now (new, changed, or already known to the client: apply each as
 * `peer:updated`, which may be the receiver itself), `left` are gone (ids the client may never have seen).
 */
export interface PeersChangedNotice {
  peers: PeerInfo[];
  left: string[];
}

export interface ServerNotifications extends RecordingNotifications, InteractionNotifications {
  'peer:joined': PeerInfo;
  'peer:left': { peerId: string };
  'peer:updated': PeerInfo;
  'peers:changed': PeersChangedNotice;
  'producer:new': ProducerInfo;
  'producer:closed': ProducerClosedNotice;
  'producer:paused': { producerId: string; paused: boolean };
  'consumer:closed': { consumerId: string; producerId: string };
  'consumer:layers': ConsumerLayersNotice;
  'speaker:active': { peerId: string | null };
  'chat:message': ChatMessageInfo;
  'chat:deleted': { messageId: string };
  'hands:updated': { queue: string[] };
  'speak:granted': SpeakGrantedNotice;
  'speak:revoked': Record<string, never>;
  'media:audio-only-suggested': { quality: NetworkQuality };
  'media:restart': MediaRestartNotice;
  'room:removed': RemovedNotice;
  'session:ended': SessionEndedNotice;
  'server:shutdown': ServerShutdownNotice;
}

/** What each client event acknowledges with on success. */
export interface ClientAckData extends RecordingAckData, InteractionAckData {
  'room:join': RoomJoinResult;
  'room:leave': Record<string, never>;
  'session:end': Record<string, never>;
  'transport:create': TransportCreateResult;
  'transport:connect': Record<string, never>;
  'transport:restart-ice': { iceParameters: IceParameters };
  'media:produce': { producerId: string };
  'media:producer-close': Record<string, never>;
  'media:consume': ConsumeResult;
  'media:consumer-resume': Record<string, never>;
  'media:report-viewport': ConsumerLayersNotice;
  'media:report-network': { suggestAudioOnly: boolean };
  'media:set-audio-only': { enabled: boolean };
  'chat:send': ChatMessageInfo;
  'chat:delete': Record<string, never>;
  'hand:raise': { queue: string[] };
  'hand:lower': { queue: string[] };
  'speak:invite': PeerInfo;
  'speak:revoke': PeerInfo;
  'moderation:mute': { producerIds: string[] };
  'moderation:stop-camera': { producerIds: string[] };
  'moderation:remove': Record<string, never>;
}
