import type { PeerInfo } from '@balai/live-contract';
import type { RoomNotifier } from '../signalling/room-notifier.service';
import type { LiveSocket } from '../signalling/socket-data';
import { PRESENCE_BATCH_ABOVE, PRESENCE_BATCH_MS, PresenceNotices } from './presence-notices.service';
import type { Peer } from './peer';
import type { Room } from './room';

interface Sent {
  sessionId: string;
  event: string;
  payload: unknown;
  except?: LiveSocket;
}

/** A room holding only what PresenceNotices reads: its peers (by id) and their PeerInfo. */
function fakeRoom(size: number, sessionId = 's1'): Room & { add(id: string): void; remove(id: string): void } {
  const peers = new Map<string, Peer>();
  const info = (peer: Peer): PeerInfo =>
    ({ peerId: peer.peerId, name: (peer as unknown as { name: string }).name }) as unknown as PeerInfo;
  const room = {
    sessionId,
    peers,
    closed: false,
    peerInfo: info,
    add(id: string) {
      peers.set(id, { peerId: id, name: `name-${id}` } as unknown as Peer);
    },
    remove(id: string) {
      peers.delete(id);
    },
  };
  for (let i = 0; i < size; i += 1) room.add(`p${i}`);
  return room as unknown as Room & { add(id: string): void; remove(id: string): void };
}

function setup() {
  const sent: Sent[] = [];
  const notifier = {
    toRoom: (sessionId: string, event: string, payload: unknown, except?: LiveSocket) =>
      sent.push({ sessionId, event, payload, except }),
  } as unknown as RoomNotifier;
  return { sut: new PresenceNotices(notifier), sent };
}

const socket = { id: 'sock' } as unknown as LiveSocket;

describe('PresenceNotices', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('in a class, tells each join, rejoin and leave at once, the joiner excepted', () => {
    const { sut, sent } = setup();
    const room = fakeRoom(10);
    room.add('rina');
    sut.joined(room, 'rina', socket, false);
    sut.joined(room, 'rina', socket, true);
    room.remove('rina');
    sut.left(room, 'rina');
    expect(sent.map((s) => s.event)).toEqual(['peer:joined', 'peer:updated', 'peer:left']);
    expect(sent[0]).toMatchObject({ sessionId: 's1', payload: { peerId: 'rina' }, except: socket });
    expect(sent[2]!.payload).toEqual({ peerId: 'rina' });
  });

  it('in a large room, gathers the changes of PRESENCE_BATCH_MS into one peers:changed with the state at sending', () => {
    const { sut, sent } = setup();
    const room = fakeRoom(PRESENCE_BATCH_ABOVE + 5);
    room.add('dewi');
    sut.joined(room, 'dewi', socket, false);
    room.add('joko');
    sut.joined(room, 'joko', socket, false);
    room.remove('p0');
    sut.left(room, 'p0');
    // Joined and gone again within the window: told as gone.
    room.add('tono');
    sut.joined(room, 'tono', socket, false);
    room.remove('tono');
    sut.left(room, 'tono');
    expect(sent).toEqual([]);

    jest.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.event).toBe('peers:changed');
    expect(sent[0]!.except).toBeUndefined();
    expect(sent[0]!.payload).toEqual({
      peers: [
        { peerId: 'dewi', name: 'name-dewi' },
        { peerId: 'joko', name: 'name-joko' },
      ],
      left: ['p0', 'tono'],
    });
  });

  it('keeps the order once a batch is open: a room that shrank below the threshold joins the open batch', () => {
    const { sut, sent } = setup();
    const room = fakeRoom(PRESENCE_BATCH_ABOVE + 2);
    room.remove('p1');
    sut.left(room, 'p1');
    room.remove('p2');
    sut.left(room, 'p2');
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(sent.map((s) => s.event)).toEqual(['peers:changed']);
    // The batch is gone: a small room is told at once again.
    room.remove('p3');
    sut.left(room, 'p3');
    expect(sent.map((s) => s.event)).toEqual(['peers:changed', 'peer:left']);
  });

  it('sends nothing for a room that closed meanwhile, and starts afresh for the next room of the session', () => {
    const { sut, sent } = setup();
    const first = fakeRoom(PRESENCE_BATCH_ABOVE + 2);
    first.remove('p1');
    sut.left(first, 'p1');
    (first as { closed: boolean }).closed = true;
    const next = fakeRoom(PRESENCE_BATCH_ABOVE + 2);
    next.remove('p2');
    sut.left(next, 'p2');
    jest.advanceTimersByTime(PRESENCE_BATCH_MS);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload).toEqual({ peers: [], left: ['p2'] });
  });
});
