/**
 * Drop detection from transport state, next to the socket heartbeat: a
 * transport whose ICE stays `disconnected` (mediasoup's consent check saw no
 * STUN from the browser) for LIVE_MEDIA_DROP_SECONDS, or whose DTLS failed,
 * means the user's media is gone even if the socket still looks alive. The
 * caller then treats the peer as dropped (socket closed -> reconnect grace ->
 * attendance leave). A transport that recovers in time is left alone.
 */
import { EventEmitter } from 'node:events';

type IceState = 'new' | 'connected' | 'completed' | 'disconnected' | 'closed';
type DtlsState = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

/** The part of a mediasoup WebRtcTransport this needs (a fake in unit tests). */
export interface WatchedTransport extends Pick<EventEmitter, 'on'> {
  readonly iceState: IceState;
  readonly closed: boolean;
}

export function watchTransportLiveness(transport: WatchedTransport, dropAfterMs: number, onLost: () => void): void {
  let timer: NodeJS.Timeout | undefined;
  let lost = false;
  const lose = () => {
    clearTimeout(timer);
    if (lost) return;
    lost = true;
    onLost();
  };
  transport.on('icestatechange', (state: IceState) => {
    if (state === 'disconnected') {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!transport.closed && transport.iceState === 'disconnected') lose();
      }, dropAfterMs);
      timer.unref?.();
    } else {
      clearTimeout(timer);
    }
  });
  transport.on('dtlsstatechange', (state: DtlsState) => {
    if (state === 'failed') lose();
  });
}
