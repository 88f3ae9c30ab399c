/**
 * Which simulcast layer a viewer gets. The camera is sent as three layers
 * (about 320, 640 and 1280 px wide); a viewer gets the smallest layer at least
 * as wide as the tile it shows (so a thumbnail never pulls 720p), capped by
 * what the viewer's link actually delivers. Screen share is not simulcast and
 * is left alone.
 *
 * The link level comes from the receiver's own measurements (loss, jitter,
 * decoded frame rate, freezes; Chromium often reports no available bitrate on
 * a weak link) and its coarse quality, with hysteresis: a worse level applies
 * at the first report (down fast), a better one only after the headroom has
 * held for a while, one level at a time, and an upgrade that does not hold
 * doubles the wait before the next try, so a link at the edge (the 256 kbit/s
 * profile) settles instead of flapping between layers.
 *
 * Pure: time comes in as an argument. Never reads the clock or touches mediasoup.
 */
import type { NetworkQuality } from '@balai/live-contract';

export interface LayerChoice {
  spatialLayer: number;
  temporalLayer: number;
}

export const SIMULCAST_WIDTHS = [320, 640, 1280] as const;
const TOP = SIMULCAST_WIDTHS.length - 1;
const MAX_TEMPORAL = 2;

/** What a viewer's link delivers, worst first. */
export type LinkLevel = 'severe' | 'weak' | 'fair' | 'good';
const LEVELS: readonly LinkLevel[] = ['severe', 'weak', 'fair', 'good'];
const rank = (level: LinkLevel) => LEVELS.indexOf(level);

const LEVEL_CAP: Record<LinkLevel, LayerChoice> = {
  good: { spatialLayer: TOP, temporalLayer: MAX_TEMPORAL },
  fair: { spatialLayer: 1, temporalLayer: MAX_TEMPORAL },
  // The lowest layer (about 150 kbit/s) at full frame rate fits a 500 kbit/s phone link with room for loss.
  weak: { spatialLayer: 0, temporalLayer: MAX_TEMPORAL },
  // Fewer frames on top: about 100 kbit/s of video beside the audio.
  severe: { spatialLayer: 0, temporalLayer: 1 },
};

export function chooseLayers(viewport: { width: number; height: number } | undefined, link: LinkLevel): LayerChoice {
  let spatialLayer = TOP;
  if (viewport) {
    // Landscape 16:9 tiles: the width the tile needs, from either side.
    const needed = Math.max(viewport.width, Math.round((viewport.height * 16) / 9));
    const index = SIMULCAST_WIDTHS.findIndex((width) => width >= needed);
    spatialLayer = index === -1 ? TOP : index;
  }
  const cap = LEVEL_CAP[link];
  return {
    spatialLayer: Math.min(spatialLayer, cap.spatialLayer),
    temporalLayer: Math.min(MAX_TEMPORAL, cap.temporalLayer),
  };
}

/** One `media:report-network` as the policy reads it. */
export interface ReceiverReport {
  quality: NetworkQuality;
  availableBitrate?: number;
  lossPercent?: number;
  jitterMs?: number;
  framesPerSecond?: number;
  freezesPerMinute?: number;
  /** The receiver says its CPU is the bottleneck (apps/web quality-monitor.ts deviceBusy). */
  deviceBusy?: boolean;
}

const FROM_QUALITY: Record<NetworkQuality, LinkLevel> = { good: 'good', fair: 'fair', poor: 'weak', bad: 'severe' };

/**
 * Thresholds per level, worst first: a report is at the first level any of
 * whose limits it reaches. Frame rate only counts while video is being
 * received (an audio-only viewer decodes no frames and is not "frozen").
 * A receiver's bitrate estimate tracks what it is being sent rather than what
 * the link could carry, so it only marks a link as severe when it is tiny.
 */
const LIMITS: Array<{
  level: LinkLevel;
  loss: number;
  jitter: number;
  freezes: number;
  fpsBelow: number;
  bitrateBelow: number;
}> = [
  // Freezes per minute as the web client counts them, over its last 30 s (one freeze reads as 2 a minute for
  // 30 s): a single freeze (a layer switch's key frame wait) leaves the layer alone, two in 30 s step it down.
  { level: 'severe', loss: 8, jitter: 150, freezes: 8, fpsBelow: 5, bitrateBelow: 150_000 },
  // The loss a receiver still sees after NACK recovery: on the 500 kbit/s profile (3% on the wire) about
  // 1.3%, and the middle layer (500 kbit/s) does not fit there; a clean link shows under 0.3% (#10).
  { level: 'weak', loss: 1, jitter: 60, freezes: 4, fpsBelow: 10, bitrateBelow: 0 },
  { level: 'fair', loss: 0.4, jitter: 30, freezes: 2, fpsBelow: 15, bitrateBelow: 0 },
];

/** The level one report shows, without history. */
export function classifyLink(report: ReceiverReport, receivingVideo: boolean): LinkLevel {
  let level = FROM_QUALITY[report.quality];
  for (const limit of LIMITS) {
    if (rank(limit.level) >= rank(level)) break;
    const hit =
      (report.lossPercent ?? 0) >= limit.loss ||
      (report.jitterMs ?? 0) >= limit.jitter ||
      (receivingVideo && (report.freezesPerMinute ?? 0) >= limit.freezes) ||
      (receivingVideo && report.framesPerSecond !== undefined && report.framesPerSecond < limit.fpsBelow) ||
      (report.availableBitrate !== undefined && report.availableBitrate < limit.bitrateBelow);
    if (hit) {
      level = limit.level;
      break;
    }
  }
  return level;
}

/**
 * Whether a report shows the network itself struggling (loss, jitter, a tiny
 * bitrate estimate), not only video that freezes or crawls. Freezes with a
 * clean network are the receiving device's CPU (a loaded phone or machine,
 * #10): a lower layer helps there, but audio-only is not suggested for it.
 * A report without measurements (an older client) is taken at its word.
 */
export function networkStrained(report: ReceiverReport): boolean {
  if (report.lossPercent === undefined && report.jitterMs === undefined && report.availableBitrate === undefined)
    return true;
  // A starved CPU reads its own jitter late and drops packets it could not read in time: only heavy loss counts.
  if (report.deviceBusy) return (report.lossPercent ?? 0) >= 3;
  return (
    (report.lossPercent ?? 0) >= 1 ||
    (report.jitterMs ?? 0) >= 30 ||
    (report.availableBitrate !== undefined && report.availableBitrate < 150_000)
  );
}

export interface LinkPolicyOptions {
  /**
   * Where a new viewer starts. Not at the top: mediasoup starts every receive
   * transport at a 1 Mbit/s estimate, so a 500 kbit/s phone given the middle
   * layer froze in its first seconds before the first report moved it down (#10).
   * A viewer starts on the lowest layer and climbs as its reports show headroom.
   */
  startLevel: LinkLevel;
  /** While climbing from the start (until the first step down or the top), headroom must hold only this long. */
  startUpAfterMs: number;
  /** Headroom must hold this long before one level up (and this long after any change). */
  upAfterMs: number;
  /** The wait to enter a level doubles each time an upgrade into it is undone within `relapseMs`, up to this. */
  maxUpAfterMs: number;
  relapseMs: number;
  /** Consecutive severe reports before audio-only is suggested. */
  severeReportsForAudioOnly: number;
  /** At most one audio-only suggestion per this long. */
  suggestEveryMs: number;
}

export const DEFAULT_LINK_POLICY: LinkPolicyOptions = {
  startLevel: 'weak',
  // Two clean reports after the first (every 2 s): a clean link reaches the top layer about 10 s after joining.
  startUpAfterMs: 4_000,
  upAfterMs: 12_000,
  maxUpAfterMs: 240_000,
  relapseMs: 30_000,
  severeReportsForAudioOnly: 2,
  suggestEveryMs: 60_000,
};

export interface LinkDecision {
  level: LinkLevel;
  /** The level changed with this report: re-apply layers. */
  changed: boolean;
  suggestAudioOnly: boolean;
}

/** One viewer's link level over time (state per peer). */
export class LinkPolicy {
  level: LinkLevel;
  /** Still climbing from the start level: nothing has gone wrong yet, so climb on a short wait. */
  private starting = true;
  /** Wait before entering a level whose last try did not hold (doubles per failed try). */
  private readonly waitToEnter = new Map<LinkLevel, number>();
  private lastChangeAt = -Infinity;
  private lastUpAt = -Infinity;
  /** An upgrade not yet proven (not held for `relapseMs`). */
  private upOnTrial = false;
  private headroomSince?: number;
  private severeStreak = 0;
  private lastSuggestedAt = -Infinity;

  constructor(private readonly options: LinkPolicyOptions = DEFAULT_LINK_POLICY) {
    this.level = options.startLevel;
  }

  /** A viewer known to have the headroom (a benchmark's synthetic viewer): no climb from the start level. */
  assume(level: LinkLevel): void {
    this.level = level;
    this.starting = false;
  }

  report(report: ReceiverReport, now: number, state: { receivingVideo: boolean; audioOnly: boolean }): LinkDecision {
    const seen = classifyLink(report, state.receivingVideo);
    const before = this.level;
    if (rank(seen) < rank(this.level)) {
      // Down fast. An upgrade undone this soon was premature: wait longer before the next.
      if (this.upOnTrial && now - this.lastUpAt < this.options.relapseMs) {
        const wait = this.waitToEnter.get(this.level) ?? this.options.upAfterMs;
        this.waitToEnter.set(this.level, Math.min(this.options.maxUpAfterMs, wait * 2));
      }
      this.upOnTrial = false;
      this.starting = false;
      this.level = seen;
      this.lastChangeAt = now;
      this.headroomSince = undefined;
    } else if (rank(seen) > rank(this.level)) {
      this.headroomSince ??= now;
      const next = LEVELS[rank(this.level) + 1];
      const wait = this.starting ? this.options.startUpAfterMs : (this.waitToEnter.get(next) ?? this.options.upAfterMs);
      if (now - this.headroomSince >= wait && now - this.lastChangeAt >= wait) {
        this.level = next;
        if (next === 'good') this.starting = false;
        this.lastChangeAt = now;
        this.lastUpAt = now;
        this.upOnTrial = true;
        this.headroomSince = undefined;
      }
    } else {
      this.headroomSince = undefined;
    }
    if (this.upOnTrial && now - this.lastUpAt >= this.options.relapseMs) {
      // The upgrade held: the link really has the headroom for this level.
      this.upOnTrial = false;
      this.waitToEnter.delete(this.level);
    }

    this.severeStreak = seen === 'severe' ? this.severeStreak + 1 : 0;
    const tooWeak =
      networkStrained(report) &&
      (report.quality === 'bad' ||
        (report.availableBitrate !== undefined && report.availableBitrate < 150_000) ||
        this.severeStreak >= this.options.severeReportsForAudioOnly);
    const suggestAudioOnly = !state.audioOnly && tooWeak && now - this.lastSuggestedAt >= this.options.suggestEveryMs;
    if (suggestAudioOnly) this.lastSuggestedAt = now;
    return { level: this.level, changed: this.level !== before, suggestAudioOnly };
  }
}
