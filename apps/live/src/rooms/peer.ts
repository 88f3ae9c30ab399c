import type { types } from 'mediasoup';
import type { MediaSource, PeerInfo, RoomRole } from '@balai/live-contract';
import { LinkPolicy } from '../media/layer-policy';
import type { LiveSocket } from '../signalling/socket-data';

export interface ConsumerState {
  consumer: types.Consumer;
  source: MediaSource;
  /** Last viewport the client reported for this consumer's tile. */
  viewport?: { width: number; height: number };
  /** Paused because the peer is in audio-only mode (not by the client or producer). */
  pausedForAudioOnly: boolean;
}

/**
 * One user in one room: identity, role, permissions and the mediasoup objects
 * they own. Pure state; media operations live in MediaService.
 */
export class Peer {
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, { producer: types.Producer; source: MediaSource }>();
  readonly consumers = new Map<string, ConsumerState>();
  canSpeak: boolean;
  canCamera: boolean;
  audioOnly = false;
  /** What this viewer's link delivers, from its own reports (with hysteresis). */
  readonly link = new LinkPolicy();

  constructor(
    public socket: LiveSocket,
    readonly userId: string,
    readonly name: string,
    readonly role: RoomRole,
  ) {
    const publisher = role !== 'participant';
    this.canSpeak = publisher;
    this.canCamera = publisher;
  }

  get peerId(): string {
    return this.userId;
  }

  get isStaff(): boolean {
    return this.role !== 'participant';
  }

  mayPublish(source: MediaSource): boolean {
    if (this.isStaff) return true;
    if (source === 'mic') return this.canSpeak;
    if (source === 'camera') return this.canCamera;
    return false;
  }

  producerBySource(source: MediaSource): types.Producer | undefined {
    for (const entry of this.producers.values()) if (entry.source === source) return entry.producer;
    return undefined;
  }

  /** Closes every transport, which closes the producers and consumers on it. */
  closeMedia(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }

  /** Forgets mediasoup objects that are already gone (their worker died). */
  forgetMedia(): void {
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }

  info(handRaised: boolean): PeerInfo {
    return {
      peerId: this.peerId,
      userId: this.userId,
      name: this.name,
      role: this.role,
      canSpeak: this.canSpeak,
      canCamera: this.canCamera,
      handRaised,
    };
  }
}
