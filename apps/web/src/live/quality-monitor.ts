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
  decode: Record<string, number | undefined>;
}

export interface Snapshot {
  at: number;
  streams: InboundSample[];
  rttMs: number | null;
  /** How late this sample was taken (QualityMonitor: timer lateness + getStats time, ms). */
  lagMs?: number;
}

function totals(s: Snapshot): Totals {
  const t: Totals = { at: s.at, lost: 0, received: 0, frames: {}, freezes: {}, decode: {} };
  for (const x of s.streams) {
    t.lost += x.packetsLost;
    t.received += x.packetsReceived;
    if (x.kind === 'video') {
      t.frames[x.consumerId] = x.framesDecoded;
      t.freezes[x.consumerId] = x.freezeCount;
      t.decode[x.consumerId] = x.totalDecodeTime;
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
  let decodeMsPerFrame: number | undefined;
  for (const id of Object.keys(b.frames)) {
    if (!(id in a.frames)) continue;
    const frames = Math.max(0, b.frames[id]! - a.frames[id]!);
    if (frames / seconds >= framesPerSecond && frames > 0) {
      const da = a.decode[id];
      const db = b.decode[id];
      decodeMsPerFrame = da !== undefined && db !== undefined ? (Math.max(0, db - da) * 1000) / frames : undefined;
    }
    framesPerSecond = Math.max(framesPerSecond, frames / seconds);
    freezes += Math.max(0, b.freezes[id]! - (a.freezes[id] ?? 0));
  }
  const jitterMs = Math.max(0, ...curr.streams.map((x) => x.jitter * 1000));
  return {
    lossPercent: received + lost > 0 ? (100 * lost) / (received + lost) : 0,
    jitterMs,
    framesPerSecond,
    freezesPerMinute: (freezes * 60) / seconds,
    rttMs: curr.rttMs ?? 0,
    ...(decodeMsPerFrame !== undefined ? { decodeMsPerFrame } : {}),
    ...(curr.lagMs !== undefined ? { lagMs: curr.lagMs } : {}),
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

/** Decoding a frame takes this long (ms) only on a starved CPU: 320-640 px VP8 decodes in 1-3 ms. */
export const BUSY_DECODE_MS = 12;
/** The 2 s sample came this late (timer + getStats, ms): the page's threads wait for a CPU. */
export const BUSY_LAG_MS = 150;

/** Below this round trip (ms) the path has no queue to speak of: a local network, a wired line. */
export const SHORT_RTT_MS = 80;

/**
 * Whether what stalls the video is a busy CPU rather than the network (#10: a
 * loaded machine read as a weak link). A starved CPU decodes slowly and runs
 * its timers and getStats late; and jitter with no loss on a short round trip
 * is not a queue on the path (a queue long enough for 30 ms of jitter shows in
 * the round trip, a weak radio link in loss) but frames produced, forwarded or
 * read late by loaded machines (bench:field --cpu-hogs: jitter 60-160 ms, 0%
 * loss, unshaped).
 */
export function deviceBusy(m: ReceiverMeasures): boolean {
  if ((m.decodeMsPerFrame ?? 0) >= BUSY_DECODE_MS || (m.lagMs ?? 0) >= BUSY_LAG_MS) return true;
  // The path's base round trip: a loaded machine reads single round trips late (26 ms median, 238 ms max
  // in one bench:field --cpu-hogs run), a mobile path's lowest is still long.
  const rtt = m.baseRttMs ?? m.rttMs;
  return m.jitterMs >= 30 && m.lossPercent < 0.5 && rtt > 0 && rtt < SHORT_RTT_MS;
}

/**
 * Whether the network itself struggles (loss, jitter, a long round trip), not
 * only the video: frames that freeze or crawl on a clean network are this
 * device's CPU, which audio-only is not offered for. On a busy device jitter
 * and round trip are read late (the receive timestamps wait for the CPU too)
 * and packets it could not read in time count as lost, so then only heavy
 * loss on a long round trip (a real mobile link) counts.
 */
export function networkStrained(m: ReceiverMeasures): boolean {
  if (deviceBusy(m)) return m.lossPercent >= 3 && m.rttMs >= 100;
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

/**
 * Video playout delay (the video receivers' jitter buffer target, ms) for a
 * lossy link (#10 freezes). Chromium counts a freeze when a frame comes more
 * than max(3 frame intervals, 150 ms + one interval) after the previous one.
 * A lost video packet is noticed when the next one arrives (up to a frame
 * interval later), NACKed, and resent by mediasoup one round trip later: with
 * the default (near zero) buffer the frame, and every frame after it, is that
 * late, so at 150 ms RTT nearly every recovered loss was a freeze. Holding
 * video by about 1.5 round trips plus a frame interval lets the resent packet
 * arrive before its frame is due. Audio of the same publisher follows the
 * video's delay (lip sync), which on such a link it mostly holds already (see
 * audioPlayoutDelayMs). Up in steps (VIDEO_DELAY_STEP_MS), back to the
 * default only after a clean stretch.
 */
export const VIDEO_DELAY_MIN_MS = 200;
export const VIDEO_DELAY_MAX_MS = 700;
/**
 * Raising the target holds the picture for the difference, and a hold longer
 * than Chromium's freeze threshold (about 150-200 ms) is itself a freeze: the
 * start-up freeze at +4 s and a later one in bench:field were the delay
 * jumping from the default to 330 ms and from 320 to 700 ms. So it goes up in
 * steps of this much a sample (the first step to the minimum).
 */
export const VIDEO_DELAY_STEP_MS = 100;

export function videoPlayoutDelayMs(
  m: ReceiverMeasures,
  current: number,
  cleanSamples: number,
): { delayMs: number; cleanSamples: number } {
  if (m.lossPercent < 0.3) {
    const clean = cleanSamples + 1;
    return { delayMs: current && clean >= CLEAN_SAMPLES_BEFORE_DEFAULT ? 0 : current, cleanSamples: clean };
  }
  // No round trip measured in this sample: nothing to size the delay by.
  if (m.rttMs <= 0) return { delayMs: current, cleanSamples: 0 };
  const frameInterval = m.framesPerSecond > 0 ? Math.min(200, 1000 / m.framesPerSecond) : 100;
  const wanted = Math.min(
    VIDEO_DELAY_MAX_MS,
    Math.max(VIDEO_DELAY_MIN_MS, Math.round(m.rttMs * 1.5 + 2 * m.jitterMs + frameInterval + 30)),
  );
  // Up in steps; down only after a clean stretch (above): a lower reading now and then is no reason to
  // shrink the buffer while packets are still being lost and resent.
  const delayMs =
    wanted > current ? Math.min(wanted, Math.max(VIDEO_DELAY_MIN_MS, current + VIDEO_DELAY_STEP_MS)) : current;
  return { delayMs, cleanSamples: 0 };
}

/**
 * The video delay to start with, from the join's round trip, set before the
 * first frame (#10): the measured delay above needs a 2 s sample with loss in
 * it, and raising it once frames show holds the picture (on the 500 kbit/s
 * phone link that hold was the freeze at +4 s). A long path starts with the
 * delay a lossy link of that round trip gets (frame rate not known yet: 10 fps
 * assumed); a clean stretch takes it back to the default, as above. A short
 * path starts with none.
 */
export const LONG_PATH_RTT_MS = 100;

export function startingVideoDelayMs(rttMs: number | null): number {
  if (rttMs === null || rttMs < LONG_PATH_RTT_MS) return 0;
  return Math.min(VIDEO_DELAY_MAX_MS, Math.max(VIDEO_DELAY_MIN_MS, Math.round(rttMs * 1.5 + 100 + 30)));
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

/**
 * Freezes are counted over this window, not per 2 s sample: one freeze in a
 * sample read as "30 a minute", so a single start-up freeze on a phone link
 * called the link bad and offered audio-only after 5 s (#10, bench:field). A
 * freeze now counts as 2 a minute for 30 s; a real run of them still reads
 * as 'poor' within 6 s and 'bad' within 12 s.
 */
export const FREEZE_WINDOW_MS = 30_000;

/** Samples a media session on a timer and reports each measured interval. */
export class QualityMonitor {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last: Snapshot | null = null;
  private recent: NetworkQuality[] = [];
  private strained: boolean[] = [];
  private lastStartedAt: number | null = null;
  /** Round trips of the last minute (the lowest is the path's own; a changed path shows within a minute). */
  private rtts: number[] = [];
  /** Freezes per sample within FREEZE_WINDOW_MS. */
  private freezes: Array<{ at: number; count: number }> = [];

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
    this.lastStartedAt = null;
    this.rtts = [];
    this.freezes = [];
  }

  private async sample(): Promise<void> {
    let snap: Snapshot;
    let availableBitrate: number | undefined;
    const startedAt = Date.now();
    const late = this.lastStartedAt === null ? 0 : Math.max(0, startedAt - this.lastStartedAt - SAMPLE_INTERVAL_MS);
    this.lastStartedAt = startedAt;
    try {
      const r = await this.source.inbound();
      const at = Date.now();
      snap = { at, streams: r.streams, rttMs: r.rttMs, lagMs: late + (at - startedAt) };
      availableBitrate = r.availableBitrate;
    } catch {
      return;
    }
    if (!this.timer) return;
    if (snap.rttMs !== null && snap.rttMs > 0) this.rtts = [...this.rtts.slice(-29), snap.rttMs];
    const prev = this.last;
    this.last = snap;
    if (!prev) return;
    const measured = measure(prev, snap);
    if (!measured) return;
    const count = Math.round((measured.freezesPerMinute * Math.max(0.001, (snap.at - prev.at) / 1000)) / 60);
    this.freezes = [...this.freezes.filter((f) => snap.at - f.at < FREEZE_WINDOW_MS), { at: snap.at, count }];
    const inWindow = this.freezes.reduce((sum, f) => sum + f.count, 0);
    const smoothed = { ...measured, freezesPerMinute: (inWindow * 60_000) / FREEZE_WINDOW_MS };
    const m = this.rtts.length ? { ...smoothed, baseRttMs: Math.min(...this.rtts) } : smoothed;
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
