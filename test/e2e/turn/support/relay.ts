/**
 * Init script for the TURN browser tests: every RTCPeerConnection the page
 * makes relays only (iceTransportPolicy 'relay'), through the TURN URI of one
 * transport (the live service hands out all of them), and the test can read
 * which candidate pair was selected and what media arrived. Serialised by
 * Playwright: `forceRelay` must stay self-contained.
 */
import type { IceServer } from '@balai/live-contract';

export type RelayTransport = 'udp' | 'tcp' | 'tls';

export interface SelectedPair {
  candidateType: string;
  relayProtocol?: string;
  protocol?: string;
}

export interface Inbound {
  kind: string;
  ssrc: number;
  framesDecoded: number;
  packetsReceived: number;
}

declare global {
  interface Window {
    __relay: {
      selected(): Promise<SelectedPair[]>;
      /** inbound-rtp media (mediasoup-client's probator, SSRC 1234 / mid "probator", left out). */
      inbound(): Promise<Inbound[]>;
      gather(iceServers: IceServer[]): Promise<string[]>;
    };
  }
}

/** Init script: every RTCPeerConnection relays only, through the TURN URI of one transport. */
export function forceRelay(transport: RelayTransport | null): void {
  const Native = window.RTCPeerConnection;
  const pcs: RTCPeerConnection[] = [];
  const keep = (url: string) =>
    transport === 'udp'
      ? /^turn:.*transport=udp/.test(url)
      : transport === 'tcp'
        ? /^turn:.*transport=tcp/.test(url)
        : /^turns:/.test(url);
  class RelayOnly extends Native {
    constructor(config: RTCConfiguration = {}, ...rest: unknown[]) {
      const iceServers = (config.iceServers ?? [])
        .map((server) => ({ ...server, urls: ([] as string[]).concat(server.urls).filter(keep) }))
        .filter((server) => server.urls.length > 0);
      super({ ...config, iceServers, iceTransportPolicy: 'relay' }, ...(rest as []));
      pcs.push(this);
    }
  }
  if (transport) window.RTCPeerConnection = RelayOnly;
  window.__relay = {
    async selected() {
      const out: SelectedPair[] = [];
      for (const pc of pcs) {
        const byId = new Map<string, Record<string, unknown>>();
        (await pc.getStats()).forEach((s: Record<string, unknown>) => byId.set(String(s.id), s));
        byId.forEach((s) => {
          if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
          const pair = byId.get(s.selectedCandidatePairId as string);
          const local = pair && byId.get(String(pair.localCandidateId));
          if (local)
            out.push({
              candidateType: String(local.candidateType),
              relayProtocol: local.relayProtocol as string | undefined,
              protocol: local.protocol as string | undefined,
            });
        });
      }
      return out;
    },
    async inbound() {
      const out: Inbound[] = [];
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((s: Record<string, unknown>) => {
          if (s.type !== 'inbound-rtp' || s.mid === 'probator' || s.ssrc === 1234) return;
          out.push({
            kind: String(s.kind),
            ssrc: Number(s.ssrc),
            framesDecoded: Number(s.framesDecoded ?? 0),
            packetsReceived: Number(s.packetsReceived ?? 0),
          });
        });
      }
      return out;
    },
    /** Candidates a relay-only connection gathers with these servers (no SFU involved). */
    async gather(iceServers: IceServer[]) {
      const pc = new Native({ iceServers: iceServers as RTCIceServer[], iceTransportPolicy: 'relay' });
      const types: string[] = [];
      pc.createDataChannel('probe');
      const done = new Promise<void>((resolve) => {
        pc.onicecandidate = (e) => (e.candidate ? types.push(e.candidate.type ?? '?') : resolve());
        setTimeout(resolve, 10_000);
      });
      await pc.setLocalDescription(await pc.createOffer());
      await done;
      pc.close();
      return types;
    },
  };
}
