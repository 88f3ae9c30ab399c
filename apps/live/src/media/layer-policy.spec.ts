import { chooseLayers, classifyLink, DEFAULT_LINK_POLICY, LinkLevel, LinkPolicy, ReceiverReport } from './layer-policy';

describe('chooseLayers', () => {
  it('gives a thumbnail the lowest layer', () => {
    expect(chooseLayers({ width: 240, height: 135 }, 'good')).toEqual({ spatialLayer: 0, temporalLayer: 2 });
  });

  it('gives a medium tile the middle layer', () => {
    expect(chooseLayers({ width: 600, height: 338 }, 'good').spatialLayer).toBe(1);
  });

  it('gives the stage the top layer on a good link', () => {
    expect(chooseLayers({ width: 1280, height: 720 }, 'good').spatialLayer).toBe(2);
  });

  it('uses the height of a tall tile', () => {
    expect(chooseLayers({ width: 300, height: 700 }, 'good').spatialLayer).toBe(2);
  });

  it('defaults to the top layer when no viewport was reported', () => {
    expect(chooseLayers(undefined, 'good').spatialLayer).toBe(2);
  });

  it('caps a weak link at the lowest layer, a severe one also at fewer frames', () => {
    expect(chooseLayers({ width: 1280, height: 720 }, 'weak')).toEqual({ spatialLayer: 0, temporalLayer: 2 });
    expect(chooseLayers({ width: 1280, height: 720 }, 'severe')).toEqual({ spatialLayer: 0, temporalLayer: 1 });
  });

  it('caps a fair link at the middle layer', () => {
    expect(chooseLayers({ width: 1920, height: 1080 }, 'fair').spatialLayer).toBe(1);
  });
});

describe('classifyLink', () => {
  const good: ReceiverReport = { quality: 'good' };

  it('trusts the coarse quality when there are no measurements', () => {
    expect(classifyLink(good, true)).toBe('good');
    expect(classifyLink({ quality: 'poor' }, true)).toBe('weak');
    expect(classifyLink({ quality: 'bad' }, true)).toBe('severe');
  });

  it('reads what the receiver sees even when the quality looks good', () => {
    expect(classifyLink({ ...good, lossPercent: 3 }, true)).toBe('weak');
    expect(classifyLink({ ...good, freezesPerMinute: 9 }, true)).toBe('severe');
    expect(classifyLink({ ...good, jitterMs: 40 }, true)).toBe('fair');
    expect(classifyLink({ ...good, framesPerSecond: 9 }, true)).toBe('weak');
  });

  it('ignores frame rate and freezes while no video is received (audio-only)', () => {
    expect(classifyLink({ ...good, framesPerSecond: 0, freezesPerMinute: 10 }, false)).toBe('good');
  });

  it('takes a tiny bitrate estimate as severe, but not a modest one (estimates follow what is sent)', () => {
    expect(classifyLink({ ...good, availableBitrate: 100_000 }, true)).toBe('severe');
    expect(classifyLink({ ...good, availableBitrate: 400_000 }, true)).toBe('good');
  });
});

describe('LinkPolicy', () => {
  const EVERY_MS = 2000;
  const video = { receivingVideo: true, audioOnly: false };

  it('goes down at the first bad report', () => {
    const sut = new LinkPolicy();
    sut.assume('good');
    expect(sut.report({ quality: 'good', lossPercent: 3 }, 0, video)).toMatchObject({ level: 'weak', changed: true });
    expect(sut.report({ quality: 'bad' }, 1, video)).toMatchObject({ level: 'severe', changed: true });
  });

  it('goes up one level only after the headroom has held, and not on a single good report', () => {
    const sut = new LinkPolicy();
    sut.report({ quality: 'good', lossPercent: 9 }, 0, video);
    expect(sut.level).toBe('severe');
    let t = 0;
    const levels: LinkLevel[] = [];
    while (t < DEFAULT_LINK_POLICY.upAfterMs * 4) {
      t += EVERY_MS;
      levels.push(sut.report({ quality: 'good' }, t, video).level);
    }
    expect(levels[0]).toBe('severe');
    expect(levels.filter((l) => l === 'severe').length).toBeGreaterThanOrEqual(
      DEFAULT_LINK_POLICY.upAfterMs / EVERY_MS - 1,
    );
    // One step at a time: severe -> weak -> fair -> good, never skipping.
    expect([...new Set(levels)]).toEqual(['severe', 'weak', 'fair', 'good']);
  });

  it('restarts the wait when the headroom is interrupted', () => {
    const sut = new LinkPolicy();
    sut.report({ quality: 'poor' }, 0, video);
    sut.report({ quality: 'good' }, DEFAULT_LINK_POLICY.upAfterMs - 2000, video);
    sut.report({ quality: 'poor' }, DEFAULT_LINK_POLICY.upAfterMs - 1000, video);
    expect(sut.report({ quality: 'good' }, DEFAULT_LINK_POLICY.upAfterMs + 1000, video).level).toBe('weak');
  });

  it('on the 500 kbit/s phone profile (3% loss, 150 ms) a phone tile gets the lowest layer at once and keeps it', () => {
    const sut = new LinkPolicy();
    const phoneTile = { width: 360, height: 203 };
    // Before any report: the lowest layer already (the tile alone would ask for the middle one).
    expect(chooseLayers(phoneTile, 'good').spatialLayer).toBe(1);
    expect(chooseLayers(phoneTile, sut.level).spatialLayer).toBe(0);
    const report: ReceiverReport = {
      quality: 'fair',
      lossPercent: 3,
      jitterMs: 25,
      framesPerSecond: 18,
      freezesPerMinute: 0.5,
    };
    let changes = 0;
    for (let t = 0; t < 5 * 60_000; t += EVERY_MS) {
      if (sut.report(report, t, video).changed) changes += 1;
      expect(chooseLayers(phoneTile, sut.level).spatialLayer).toBe(0);
    }
    expect(changes).toBe(0);
  });

  it('starts a new viewer on the lowest layer, and a clean link climbs to the top within about 10 s', () => {
    const sut = new LinkPolicy();
    const stage = { width: 1280, height: 720 };
    expect(chooseLayers(stage, sut.level).spatialLayer).toBe(0);
    const clean: ReceiverReport = { quality: 'good', lossPercent: 0, jitterMs: 4, framesPerSecond: 30 };
    const reachedAt: Partial<Record<LinkLevel, number>> = {};
    for (let t = EVERY_MS; t <= 30_000; t += EVERY_MS) {
      const { level } = sut.report(clean, t, video);
      reachedAt[level] ??= t;
    }
    expect(reachedAt.fair).toBeLessThanOrEqual(EVERY_MS + DEFAULT_LINK_POLICY.startUpAfterMs);
    expect(reachedAt.good).toBeLessThanOrEqual(12_000);
    expect(chooseLayers(stage, sut.level).spatialLayer).toBe(2);
  });

  it('climbs from the start on the normal wait once the link has shown a problem', () => {
    const sut = new LinkPolicy();
    const clean: ReceiverReport = { quality: 'good', lossPercent: 0, jitterMs: 4 };
    const level = (): LinkLevel => sut.level;
    let t = EVERY_MS;
    sut.report(clean, t, video);
    while (level() === 'weak') sut.report(clean, (t += EVERY_MS), video);
    expect(level()).toBe('fair');
    // The middle layer does not fit: back down at once, and the next try waits the doubled normal wait.
    const downAt = (t += EVERY_MS);
    expect(sut.report({ quality: 'poor', lossPercent: 4 }, downAt, video)).toMatchObject({ level: 'weak' });
    while (level() === 'weak') sut.report(clean, (t += EVERY_MS), video);
    expect(t - downAt).toBeGreaterThanOrEqual(2 * DEFAULT_LINK_POLICY.upAfterMs);
  });

  it('lets a viewer known to have headroom start at the top (benchmarks)', () => {
    const sut = new LinkPolicy();
    sut.assume('good');
    expect(chooseLayers({ width: 1280, height: 720 }, sut.level).spatialLayer).toBe(2);
    expect(sut.report({ quality: 'good', lossPercent: 2 }, 0, video).level).toBe('weak');
  });

  it('takes the loss left after NACK recovery on that profile (about 1.3%) as weak too: the middle layer does not fit', () => {
    const sut = new LinkPolicy();
    const phoneTile = { width: 360, height: 203 };
    for (let t = 0; t < 2 * 60_000; t += EVERY_MS) {
      // What the phone measured there (bench:field): 1-1.6% residual loss, jitter 9-25 ms.
      const lossPercent = [1.3, 1.4, 1.1, 1.6, 1.2][(t / EVERY_MS) % 5]!;
      sut.report({ quality: 'good', lossPercent, jitterMs: 15, framesPerSecond: 15, freezesPerMinute: 0 }, t, video);
      expect(chooseLayers(phoneTile, sut.level).spatialLayer).toBe(0);
    }
    // A clean link stays at the top.
    expect(classifyLink({ quality: 'good', lossPercent: 0.2, jitterMs: 5 }, true)).toBe('good');
  });

  it('on the 256 kbit/s profile (5% loss, 300 ms) it settles instead of flapping between layers', () => {
    // A link that carries the lowest layer with a little loss and chokes on anything above it.
    const sut = new LinkPolicy();
    const linkSees = (level: LinkLevel): ReceiverReport =>
      level === 'weak' || level === 'severe'
        ? { quality: 'fair', lossPercent: 1.2, jitterMs: 20, framesPerSecond: 18, freezesPerMinute: 0 }
        : { quality: 'poor', lossPercent: 7, jitterMs: 90, framesPerSecond: 8, freezesPerMinute: 6 };
    const switches: number[] = []; // spatial layer switches the viewer sees
    let atLowest = 0;
    let reports = 0;
    let spatial = chooseLayers({ width: 360, height: 203 }, sut.level).spatialLayer;
    for (let t = 0; t < 10 * 60_000; t += EVERY_MS) {
      sut.report(linkSees(sut.level), t, video);
      const now = chooseLayers({ width: 360, height: 203 }, sut.level).spatialLayer;
      if (now !== spatial) switches.push(t);
      spatial = now;
      if (now === 0) atLowest += 1;
      reports += 1;
    }
    // Each failed try doubles the wait (12 s, 24 s, 48 s ... 240 s): a handful of tries in ten minutes,
    // against 16 switches in 70 s before this policy.
    expect(switches.length).toBeLessThanOrEqual(12);
    expect(switches.filter((t) => t > 5 * 60_000).length).toBeLessThanOrEqual(4);
    expect(atLowest / reports).toBeGreaterThan(0.95);
  });

  it('resets the wait once an upgrade has held', () => {
    const sut = new LinkPolicy();
    sut.report({ quality: 'poor' }, 0, video);
    let t = 0;
    while (sut.level !== 'fair') sut.report({ quality: 'fair' }, (t += EVERY_MS), video);
    const upAt = t;
    sut.report({ quality: 'poor' }, (t += EVERY_MS), video); // relapse: the next try waits twice as long
    while (sut.level !== 'fair') sut.report({ quality: 'fair' }, (t += EVERY_MS), video);
    expect(t - upAt).toBeGreaterThanOrEqual(2 * DEFAULT_LINK_POLICY.upAfterMs);
  });

  describe('audio-only suggestion', () => {
    it('is made after sustained severe reports, once a minute at most, never while audio-only', () => {
      const sut = new LinkPolicy();
      const severe: ReceiverReport = { quality: 'poor', lossPercent: 10, freezesPerMinute: 8, framesPerSecond: 3 };
      expect(sut.report(severe, 0, video).suggestAudioOnly).toBe(false);
      expect(sut.report(severe, 2000, video).suggestAudioOnly).toBe(true);
      expect(sut.report(severe, 4000, video).suggestAudioOnly).toBe(false);
      expect(sut.report(severe, 62_000, video).suggestAudioOnly).toBe(true);
      expect(sut.report(severe, 130_000, { receivingVideo: false, audioOnly: true }).suggestAudioOnly).toBe(false);
    });

    it('is made at once when the client calls the link bad or sees under 150 kbit/s', () => {
      expect(new LinkPolicy().report({ quality: 'bad' }, 0, video).suggestAudioOnly).toBe(true);
      expect(new LinkPolicy().report({ quality: 'poor', availableBitrate: 100_000 }, 0, video).suggestAudioOnly).toBe(
        true,
      );
    });

    it('is not made when video freezes on a clean network (the receiving device is busy, #10)', () => {
      const sut = new LinkPolicy();
      const cpuBound: ReceiverReport = {
        quality: 'bad',
        lossPercent: 0,
        jitterMs: 8,
        freezesPerMinute: 14,
        framesPerSecond: 3,
      };
      for (let t = 0; t < 60_000; t += EVERY_MS) expect(sut.report(cpuBound, t, video).suggestAudioOnly).toBe(false);
      // Still steps down a layer: that helps a busy decoder too.
      expect(sut.level).toBe('severe');
      expect(sut.report({ ...cpuBound, lossPercent: 4 }, 60_000, video).suggestAudioOnly).toBe(true);
    });

    it('is not made for a busy device whose jitter rose with its CPU load (#10), but is for heavy loss on one', () => {
      const sut = new LinkPolicy();
      const loaded: ReceiverReport = {
        quality: 'bad',
        lossPercent: 1.5,
        jitterMs: 45,
        freezesPerMinute: 12,
        framesPerSecond: 4,
        deviceBusy: true,
      };
      for (let t = 0; t < 60_000; t += EVERY_MS) expect(sut.report(loaded, t, video).suggestAudioOnly).toBe(false);
      // The same figures from a device that is not busy are the network's.
      expect(new LinkPolicy().report({ ...loaded, deviceBusy: false }, 0, video).suggestAudioOnly).toBe(true);
      expect(sut.report({ ...loaded, lossPercent: 4 }, 60_000, video).suggestAudioOnly).toBe(true);
    });

    it('is not made for a weak link that still carries the lowest layer', () => {
      const sut = new LinkPolicy();
      for (let t = 0; t < 60_000; t += EVERY_MS) {
        expect(sut.report({ quality: 'fair', lossPercent: 3, freezesPerMinute: 1 }, t, video).suggestAudioOnly).toBe(
          false,
        );
      }
    });
  });
});
