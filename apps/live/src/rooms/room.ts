import type { types } from 'mediasoup';
import type { ChatMessageInfo, MediaSource, PeerInfo, ProducerInfo } from '@balai/live-contract';
import type { RouterCascade } from '../media/router-cascade';
import { Peer } from './peer';

export interface SessionFacts {
  sessionId: string;
  courseId: string;
  startsAt: Date;
  endsAt: Date;
}

/** A producer of another node's room, piped into this node's origin router (an edge room's). */
export interface RemoteProducer {
  producer: types.Producer;
  peerId: string;
  source: MediaSource;
}

/**
 * What makes a room an edge (issue 14, across nodes): the session is owned by
 * another live node, which keeps the room's state (peers, hands, chat,
 * moderation, attendance); this node keeps only its own peers' media, fed by
 * pipes from the owner's origin (cluster/edge-relay.service.ts).
 */
export interface EdgeLink {
  readonly ownerNodeId: string;
  /** The owner's producer on this room's origin, piped in when its first local consumer needs it. */
  acquire(producerId: string): Promise<RemoteProducer>;
  /** A local consumer of it closed: the pipe closes with the last one. */
  release(producerId: string): void;
  /** A local peer's connection went away: the owner is told (it keeps attendance and the room's state). */
  disconnected(peer: Peer): void;
  /** A local peer published: the owner pipes the producer into its origin (its viewers and other edges get it there). */
  published(peer: Peer, producer: types.Producer): Promise<void>;
}

/**
 * The live room of one course session on this node: its routers (the origin,
 * where producers live, and fan-outs for viewers; see router-cascade.ts), its
 * peers and the raise-hand queue. State only; services (media, chat,
 * moderation) act on it.
 */
export class Room {
  readonly peers = new Map<string, Peer>();
  /** Peer ids in the order their hands went up. */
  hands: string[] = [];
  activeSpeakerPeerId: string | null = null;
  /** Recent chat, loaded once per room from the store and kept current by ChatService. */
  chatHistory?: Promise<ChatMessageInfo[]>;
  closed = false;
  /** Set when another node owns the session and this room is its edge here. */
  edge?: EdgeLink;

  constructor(
    readonly session: SessionFacts,
    readonly cascade: RouterCascade,
    public speakerObserver: types.ActiveSpeakerObserver,
  ) {}

  /** The origin router: every producer of the session, the active-speaker observer, the recorder. */
  get router(): types.Router {
    return this.cascade.origin;
  }

  /** Producers of others a new viewer would consume (what its receive transport is expected to carry). */
  expectedConsumers(peer: Peer): number {
    let count = 0;
    for (const other of this.peers.values()) if (other !== peer) count += other.producers.size;
    // A webinar's viewers often arrive before the host publishes: reserve the host's camera and microphone.
    return Math.max(2, count);
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  get workerPid(): number | undefined {
    const pid = this.router.appData.workerPid;
    return typeof pid === 'number' ? pid : undefined;
  }

  peerInfo(peer: Peer): PeerInfo {
    return peer.info(this.hands.includes(peer.peerId));
  }

  peerInfos(): PeerInfo[] {
    return [...this.peers.values()].map((peer) => this.peerInfo(peer));
  }

  producerInfos(exceptPeerId?: string): ProducerInfo[] {
    const list: ProducerInfo[] = [];
    for (const peer of this.peers.values()) {
      if (peer.peerId === exceptPeerId) continue;
      for (const { producer, source } of peer.producers.values()) {
        list.push({
          producerId: producer.id,
          peerId: peer.peerId,
          kind: producer.kind,
          source,
          paused: producer.paused,
        });
      }
    }
    return list;
  }

  findProducerOwner(
    producerId: string,
  ): { peer: Peer; producer: types.Producer; source: ProducerInfo['source'] } | undefined {
    for (const peer of this.peers.values()) {
      const entry = peer.producers.get(producerId);
      if (entry) return { peer, producer: entry.producer, source: entry.source };
    }
    return undefined;
  }
}
