/**
 * What the receiver actually gets: every few seconds, the inbound streams'
 * getStats (by the consumer's SSRC, never mediasoup-client's probator) are
 * turned into loss, jitter, frame rate and freezes per minute over the last
 * interval. The same figures drive the quality indicator, the automatic
 * audio-only offer and `media:report-network` (the server's layer policy),
 * because Chromium reports no available bitrate on a weak link.
 * The arithmetic is pure (measure, classify, shouldOfferAudioOnly) and unit-tested.
 */
import type { NetworkQuality } from '@balai/live-contract';
import type { InboundSample } from './media-session';
import type { ReceiverMeasures } from './room-state';

export const SAMPLE_INTERVAL_MS = 2000;

interface Totals {
  at: number;
  lost: number;
  received: number;
  frames: Record<string, number>;
  freezes: Record<string, number>;
}

export interface Snapshot {
  at: number;
  streams: InboundSample[];
  rttMs: number | null;
}

function totals(s: Snapshot): Totals {
  const t: Totals = { at: s.at, lost: 0, received: 0, frames: {}, freezes: {} };
  for (const x of s.streams) {
    t.lost += x.packetsLost;
    t.received += x.packetsReceived;
    if (x.kind === 'video') {
      t.frames[x.consumerId] = x.framesDecoded;
      t.freezes[x.consumerId] = x.freezeCount;
    }
  }
  return t;
}

/**
 * Measures over the interval between two snapshots; null until there is
 * something to measure (no inbound packets in the interval and no RTT).
 */
export function measure(prev: Snapshot, curr: Snapshot): ReceiverMeasures | null {
  const a = totals(prev);
  const b = totals(curr);
  const seconds = Math.max(0.001, (b.at - a.at) / 1000);
  const lost = Math.max(0, b.lost - a.lost);
  const received = Math.max(0, b.received - a.received);
  if (received + lost === 0 && curr.rttMs === null) return null;
  // The main video is the one decoding the most frames (the stage); freezes are summed over all.
  let framesPerSecond = 0;
  let freezes = 0;
  for (const id of Object.keys(b.frames)) {
    if (!(id in a.frames)) continue;
    framesPerSecond = Math.max(framesPerSecond, Math.max(0, b.frames[id]! - a.frames[id]!) / seconds);
    freezes += Math.max(0, b.freezes[id]! - (a.freezes[id] ?? 0));
  }
  const jitterMs = Math.max(0, ...curr.streams.map((x) => x.jitter * 1000));
  return {
    lossPercent: received + lost > 0 ? (100 * lost) / (received + lost) : 0,
    jitterMs,
    framesPerSecond,
    freezesPerMinute: (freezes * 60) / seconds,
    rttMs: curr.rttMs ?? 0,
  };
}

/** The indicator's word for a measurement. */
export function classify(m: ReceiverMeasures, videoExpected: boolean): NetworkQuality {
  const lowFps = videoExpected && m.framesPerSecond > 0 && m.framesPerSecond < 8;
  if (m.lossPercent > 15 || m.rttMs > 1500 || m.freezesPerMinute >= 12) return 'bad';
  if (m.lossPercent > 5 || m.rttMs > 600 || m.jitterMs > 80 || m.freezesPerMinute >= 4 || lowFps) return 'poor';
  if (m.lossPercent > 2 || m.rttMs > 300 || m.jitterMs > 40 || m.freezesPerMinute >= 1) return 'fair';
  return 'good';
}

/** Offer audio-only after this many poor-or-worse samples in a row (about 6 s). */
export const POOR_SAMPLES_BEFORE_OFFER = 3;

/**
 * Whether the network itself struggles (loss, jitter, a long round trip), not
 * only the video: frames that freeze or crawl on a clean network are this
 * device's CPU (#10: a loaded machine read as a weak link), which audio-only
 * is not offered for.
 */
export function networkStrained(m: ReceiverMeasures): boolean {
  return m.lossPercent >= 1 || m.jitterMs >= 30 || m.rttMs >= 400;
}

/** `strained`: networkStrained() of the same samples; at least two of the last three must show it. */
export function shouldOfferAudioOnly(recent: NetworkQuality[], strained?: boolean[]): boolean {
  if (recent.length < POOR_SAMPLES_BEFORE_OFFER) return false;
  if (!recent.slice(-POOR_SAMPLES_BEFORE_OFFER).every((q) => q === 'poor' || q === 'bad')) return false;
  return !strained || strained.slice(-POOR_SAMPLES_BEFORE_OFFER).filter(Boolean).length >= 2;
}

/**
 * Audio playout delay (the receiver's jitter buffer target, ms) for what the
 * link shows (#10). On a lossy link the lost Opus packets are asked again
 * (NACK, negotiated for audio) and mediasoup resends them one round trip
 * later; with Chromium's default buffer of a few tens of milliseconds they
 * arrive after their playout time and the gap is concealed anyway. Holding
 * about one round trip more lets them arrive in time, at the price of that
 * much delay, which a lesson tolerates better than holes in the voice. Back
 * to the browser's default (0) only after a clean stretch; changes only in
 * steps of 40 ms or more, so the buffer is not reset every sample.
 */
export const PLAYOUT_DELAY_MIN_MS = 150;
export const PLAYOUT_DELAY_MAX_MS = 400;
export const CLEAN_SAMPLES_BEFORE_DEFAULT = 5;

export function audioPlayoutDelayMs(
  m: ReceiverMeasures,
  current: number,
  cleanSamples: number,
): { delayMs: number; cleanSamples: number } {
  if (m.lossPercent < 0.3) {
    const clean = cleanSamples + 1;
    return { delayMs: current && clean >= CLEAN_SAMPLES_BEFORE_DEFAULT ? 0 : current, cleanSamples: clean };
  }
  const wanted = Math.min(
    PLAYOUT_DELAY_MAX_MS,
    Math.max(PLAYOUT_DELAY_MIN_MS, Math.round(m.rttMs * 1.3 + 2 * m.jitterMs + 40)),
  );
  // Up at once, down only by a clear step.
  const delayMs = wanted > current || current - wanted >= 40 ? wanted : current;
  return { delayMs, cleanSamples: 0 };
}

export interface QualitySource {
  inbound(): Promise<{ streams: InboundSample[]; rttMs: number | null; availableBitrate?: number }>;
}

export interface QualityReport {
  quality: NetworkQuality;
  measures: ReceiverMeasures;
  availableBitrate?: number;
  offerAudioOnly: boolean;
  /** Some inbound packets arrived during the interval. */
  receiving: boolean;
}

/** Samples a media session on a timer and reports each measured interval. */
export class QualityMonitor {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last: Snapshot | null = null;
  private recent: NetworkQuality[] = [];
  private strained: boolean[] = [];

  constructor(
    private readonly source: QualitySource,
    private readonly videoExpected: () => boolean,
    private readonly report: (r: QualityReport) => void,
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
    void this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.last = null;
    this.recent = [];
    this.strained = [];
  }

  private async sample(): Promise<void> {
    let snap: Snapshot;
    let availableBitrate: number | undefined;
    try {
      const r = await this.source.inbound();
      snap = { at: Date.now(), streams: r.streams, rttMs: r.rttMs };
      availableBitrate = r.availableBitrate;
    } catch {
      return;
    }
    if (!this.timer) return;
    const prev = this.last;
    this.last = snap;
    if (!prev) return;
    const m = measure(prev, snap);
    if (!m) return;
    const quality = classify(m, this.videoExpected());
    this.recent = [...this.recent.slice(-9), quality];
    this.strained = [...this.strained.slice(-9), networkStrained(m)];
    const receiving = totals(snap).received > totals(prev).received;
    this.report({
      quality,
      measures: m,
      availableBitrate,
      offerAudioOnly: shouldOfferAudioOnly(this.recent, this.strained),
      receiving,
    });
  }
}
