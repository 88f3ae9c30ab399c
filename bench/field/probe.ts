/**
 * What bench:field measures inside the participant's page, from the outside:
 * an init script (runs before the app's own code) that remembers every
 * RTCPeerConnection the app creates and samples their inbound RTP stats, notes
 * the click on "Masuk kelas" and when the audio-only offer appears. It never
 * changes what the app does: the wrapper only records and passes through.
 */

export interface MediaSample {
  /** performance.now() of the sample */
  t: number;
  /** The media connection's round trip (selected candidate pair), ms. */
  rttMs?: number;
  audio: {
    packetsReceived: number;
    totalSamplesReceived: number;
    concealedSamples: number;
    silentConcealedSamples: number;
  } | null;
  video: {
    framesDecoded: number;
    frameWidth: number;
    frameHeight: number;
    freezeCount: number;
    totalFreezesDuration: number;
    /** Key frames the receiver asked for, and decoded (a freeze that waited for one shows both rising). */
    pliCount: number;
    keyFramesDecoded: number;
    /** Cumulative jitter buffer target (s) over emitted frames: their ratio is the buffer it aimed at. */
    jitterBufferTargetDelay: number;
    jitterBufferEmittedCount: number;
    /** What the app asked of the video receivers (RTCRtpReceiver.jitterBufferTarget, ms; null: the default). */
    appTargetMs: number | null;
  } | null;
}

export interface ProbeState {
  clickAt: number | null;
  firstAudioAt: number | null;
  firstVideoAt: number | null;
  offerAt: number | null;
  /** performance.now() of the join's steps (the first of each): socket open, peer connection made, connected. */
  steps: Record<string, number>;
  /** The app's media:report-network payloads as sent (t, JSON), to tell why audio-only was offered. */
  reports: Array<{ t: number; payload: string }>;
  samples: MediaSample[];
  resources: Array<{
    name: string;
    startTime: number;
    responseEnd: number;
    transferSize: number;
    encodedBodySize: number;
  }>;
}

declare global {
  interface Window {
    __field?: ProbeState;
  }
}

/** Passed to `context.addInitScript`: serialised by Playwright, so it must be self-contained. */
export function installProbe(): void {
  const Native = window.RTCPeerConnection;
  if (!Native || window.__field) return;
  const pcs: RTCPeerConnection[] = [];
  const state: ProbeState = {
    clickAt: null,
    firstAudioAt: null,
    firstVideoAt: null,
    offerAt: null,
    steps: {},
    reports: [],
    samples: [],
    resources: [],
  };
  window.__field = state;
  const step = (name: string) => {
    state.steps[name] ??= performance.now();
  };
  class Probed extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      pcs.push(this);
      // mediasoup-client's Device.load() makes a throwaway connection without ICE servers or transports.
      step(`pc${pcs.length}-created`);
      const n = pcs.length;
      this.addEventListener('iceconnectionstatechange', () => {
        if (this.iceConnectionState === 'connected') step(`pc${n}-ice-connected`);
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') step(`pc${n}-connected`);
      });
    }
  }
  window.RTCPeerConnection = Probed;
  const timed = (name: 'createOffer' | 'createAnswer' | 'setRemoteDescription') => {
    const proto = Native.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const original = proto[name]!;
    (Native.prototype as unknown as Record<string, unknown>)[name] = function (
      this: RTCPeerConnection,
      ...a: unknown[]
    ) {
      const n = pcs.indexOf(this) + 1;
      step(`pc${n}-${name}`);
      return original.apply(this, a).finally(() => step(`pc${n}-${name}-done`));
    };
  };
  timed('createOffer');
  timed('createAnswer');
  timed('setRemoteDescription');
  const NativeSocket = window.WebSocket;
  class ProbedSocket extends NativeSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      step('websocket-created');
      this.addEventListener('open', () => step('websocket-open'));
      // socket.io: "40..." is the namespace CONNECT, its answer "40{sid}"; "43x[...]" acks carry the join.
      this.addEventListener('message', (e: MessageEvent) => {
        if (typeof e.data === 'string' && e.data.startsWith('40')) step('socketio-connected');
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (typeof data === 'string') {
        if (data.includes('"room:join"')) step('room-join-sent');
        if (data.includes('"media:consume"')) step('consume-sent');
        if (data.includes('"media:report-network"')) {
          state.reports.push({
            t: performance.now(),
            payload: data.slice(data.indexOf('{'), data.lastIndexOf('}') + 1),
          });
          if (state.reports.length > 200) state.reports.shift();
        }
      }
      super.send(data);
    }
  }
  window.WebSocket = ProbedSocket;

  document.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target.closest('a,button') : null;
      if (target && /Masuk kelas/i.test(target.textContent ?? '')) state.clickAt = performance.now();
    },
    true,
  );

  const sample = async (): Promise<MediaSample> => {
    let audio: MediaSample['audio'] = null;
    let video: MediaSample['video'] = null;
    let rttMs: number | undefined;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const videoReceiver = pc.getReceivers().find((r) => r.track?.kind === 'video' && r.track.readyState === 'live');
      const videoTarget =
        (videoReceiver as { jitterBufferTarget?: number | null } | undefined)?.jitterBufferTarget ?? null;
      const report = await pc.getStats().catch(() => null);
      report?.forEach((s: Record<string, unknown>) => {
        if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number')
          rttMs = s.currentRoundTripTime * 1000;
        // mediasoup-client's bandwidth probator (SSRC 1234, mid "probator") is not media.
        if (s.type !== 'inbound-rtp' || s.mid === 'probator' || s.ssrc === 1234) return;
        const n = (key: string) => Number(s[key] ?? 0);
        if (s.kind === 'audio' && (!audio || n('packetsReceived') > audio.packetsReceived)) {
          audio = {
            packetsReceived: n('packetsReceived'),
            totalSamplesReceived: n('totalSamplesReceived'),
            concealedSamples: n('concealedSamples'),
            silentConcealedSamples: n('silentConcealedSamples'),
          };
        }
        if (s.kind === 'video' && (!video || n('framesDecoded') > video.framesDecoded)) {
          video = {
            framesDecoded: n('framesDecoded'),
            frameWidth: n('frameWidth'),
            frameHeight: n('frameHeight'),
            freezeCount: n('freezeCount'),
            totalFreezesDuration: n('totalFreezesDuration'),
            pliCount: n('pliCount'),
            keyFramesDecoded: n('keyFramesDecoded'),
            jitterBufferTargetDelay: n('jitterBufferTargetDelay'),
            jitterBufferEmittedCount: n('jitterBufferEmittedCount'),
            appTargetMs: videoTarget,
          };
        }
      });
    }
    return { t: performance.now(), rttMs, audio, video };
  };

  // Fine-grained until the first audio and video (for the join time), then once a second.
  const tick = async () => {
    if (pcs.length > 0) {
      const s = await sample();
      const a = s.audio as MediaSample['audio'];
      const v = s.video as MediaSample['video'];
      if (state.firstAudioAt === null && a && a.packetsReceived > 0 && a.totalSamplesReceived > 0)
        state.firstAudioAt = s.t;
      if (state.firstVideoAt === null && v && v.framesDecoded > 0) state.firstVideoAt = s.t;
      const last = state.samples[state.samples.length - 1];
      if (!last || s.t - last.t >= 990) state.samples.push(s);
    }
    if (state.offerAt === null && document.querySelector('[data-testid="audio-only-offer"]'))
      state.offerAt = performance.now();
    const fast = state.firstAudioAt === null || state.firstVideoAt === null;
    setTimeout(() => void tick(), fast ? 40 : 250);
  };
  setTimeout(() => void tick(), 40);

  // Resource timings of scripts and styles (to tell how much of the room code loaded after the click).
  try {
    performance.setResourceTimingBufferSize(2000);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as PerformanceResourceTiming[]) {
        state.resources.push({
          name: e.name,
          startTime: e.startTime,
          responseEnd: e.responseEnd,
          transferSize: e.transferSize,
          encodedBodySize: e.encodedBodySize,
        });
      }
    }).observe({ type: 'resource', buffered: true });
  } catch {
    /* no resource timing */
  }
}
