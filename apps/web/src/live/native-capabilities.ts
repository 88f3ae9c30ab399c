/**
 * mediasoup-client's Device.load() first asks the browser what it can send and
 * receive: two throwaway RTCPeerConnections with an SDP offer each. That does
 * not depend on the room (only the intersection with the router's
 * capabilities does), yet it ran after room:join, on the path to the first
 * audio (#10: a few hundred ms on a slow or busy phone). The answers are asked
 * once per page, while the participant is still on "Kelas saya"
 * (warm-connection.ts), and every Device of the page reuses them.
 */
import { detectDevice } from 'mediasoup-client';
import type { types as ms } from 'mediasoup-client';
import { Chrome111 } from 'mediasoup-client/handlers/Chrome111';
import { Chrome74 } from 'mediasoup-client/handlers/Chrome74';
import { Firefox120 } from 'mediasoup-client/handlers/Firefox120';
import { Safari12 } from 'mediasoup-client/handlers/Safari12';

type Direction = 'sendonly' | 'recvonly';

/** A handler factory that asks the browser's native capabilities once and remembers the answers (not failures). */
export function rememberingFactory(base: ms.HandlerFactory): ms.HandlerFactory {
  const rtp = new Map<Direction, Promise<ms.RtpCapabilities>>();
  let sctp: Promise<ms.SctpCapabilities> | null = null;
  return {
    name: base.name,
    factory: base.factory,
    getNativeRtpCapabilities: (options) => {
      const direction = (options?.direction ?? 'recvonly') as Direction;
      let asked = rtp.get(direction);
      if (!asked) {
        asked = base.getNativeRtpCapabilities(options);
        rtp.set(direction, asked);
        asked.catch(() => rtp.delete(direction));
      }
      return asked;
    },
    getNativeSctpCapabilities: () => {
      if (!sctp) {
        const asked = base.getNativeSctpCapabilities();
        sctp = asked;
        asked.catch(() => (sctp = null));
      }
      return sctp;
    },
  };
}

function builtinFactory(): ms.HandlerFactory | null {
  switch (detectDevice()) {
    case 'Chrome111':
      return Chrome111.createFactory();
    case 'Chrome74':
      return Chrome74.createFactory();
    case 'Firefox120':
      return Firefox120.createFactory();
    case 'Safari12':
      return Safari12.createFactory();
    default:
      return null;
  }
}

let shared: ms.HandlerFactory | null | undefined;

/**
 * The page's remembering factory for `new Device({ handlerFactory })`, or
 * undefined where mediasoup-client knows no handler (then `new Device()`
 * throws its UnsupportedError as before).
 */
export function pageHandlerFactory(): ms.HandlerFactory | undefined {
  if (shared === undefined) {
    const base = typeof RTCPeerConnection === 'undefined' ? null : builtinFactory();
    shared = base ? rememberingFactory(base) : null;
  }
  return shared ?? undefined;
}

/** Ask now (idle time on "Kelas saya"), so the room's Device.load() has the answers. */
export function preloadNativeCapabilities(): void {
  const factory = pageHandlerFactory();
  if (!factory) return;
  void (async () => {
    await factory.getNativeRtpCapabilities({ direction: 'recvonly' });
    await factory.getNativeRtpCapabilities({ direction: 'sendonly' });
    await factory.getNativeSctpCapabilities();
  })().catch(() => undefined);
}
