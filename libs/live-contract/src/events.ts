/**
 * Socket.io event names of the live classroom, shared by the live service and
 * the browser client. Client -> server events are always emitted as
 * `socket.emit(name, payload, ack)` and acknowledged with an `Ack<T>`;
 * server -> client events are plain notifications.
 */
import { InteractionClientEvent, InteractionServerEvent } from './interaction';
import { RecordingClientEvent, RecordingServerEvent } from './recording';

export const ClientEvent = {
  RoomJoin: 'room:join',
  RoomLeave: 'room:leave',
  SessionEnd: 'session:end',
  TransportCreate: 'transport:create',
  TransportConnect: 'transport:connect',
  TransportRestartIce: 'transport:restart-ice',
  Produce: 'media:produce',
  ProducerClose: 'media:producer-close',
  Consume: 'media:consume',
  ConsumerResume: 'media:consumer-resume',
  ReportViewport: 'media:report-viewport',
  ReportNetwork: 'media:report-network',
  SetAudioOnly: 'media:set-audio-only',
  ChatSend: 'chat:send',
  ChatDelete: 'chat:delete',
  HandRaise: 'hand:raise',
  HandLower: 'hand:lower',
  SpeakInvite: 'speak:invite',
  SpeakRevoke: 'speak:revoke',
  ModerationMute: 'moderation:mute',
  ModerationStopCamera: 'moderation:stop-camera',
  ModerationRemove: 'moderation:remove',
  ...RecordingClientEvent,
  ...InteractionClientEvent,
} as const;
export type ClientEventName = (typeof ClientEvent)[keyof typeof ClientEvent];
export const CLIENT_EVENTS: readonly ClientEventName[] = Object.values(ClientEvent);

export const ServerEvent = {
  PeerJoined: 'peer:joined',
  PeerLeft: 'peer:left',
  PeerUpdated: 'peer:updated',
  /** Presence in a large room: the joins, changes and leaves of the last moment together (see PeersChangedNotice). */
  PeersChanged: 'peers:changed',
  ProducerNew: 'producer:new',
  ProducerClosed: 'producer:closed',
  ProducerPaused: 'producer:paused',
  ConsumerClosed: 'consumer:closed',
  ConsumerLayers: 'consumer:layers',
  ActiveSpeaker: 'speaker:active',
  ChatMessage: 'chat:message',
  ChatDeleted: 'chat:deleted',
  HandsUpdated: 'hands:updated',
  SpeakGranted: 'speak:granted',
  SpeakRevoked: 'speak:revoked',
  /** The server suggests audio-only because the reported link is poor. */
  AudioOnlySuggested: 'media:audio-only-suggested',
  /** Media was rebuilt (worker died): drop transports and run the media join again. */
  MediaRestart: 'media:restart',
  /** This socket was removed from the room (kicked, or replaced by a newer connection). */
  Removed: 'room:removed',
  SessionEnded: 'session:ended',
  /** This live node is shutting down: reconnect and join again (see ServerShutdownNotice). */
  ServerShutdown: 'server:shutdown',
  ...RecordingServerEvent,
  ...InteractionServerEvent,
} as const;
export type ServerEventName = (typeof ServerEvent)[keyof typeof ServerEvent];
