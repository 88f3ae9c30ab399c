import { chooseLayers, suggestsAudioOnly } from './layer-policy';

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

  it('caps a poor link at the lowest layer and fewer frames', () => {
    expect(chooseLayers({ width: 1280, height: 720 }, 'poor')).toEqual({ spatialLayer: 0, temporalLayer: 1 });
  });

  it('caps a fair link at the middle layer', () => {
    expect(chooseLayers({ width: 1920, height: 1080 }, 'fair').spatialLayer).toBe(1);
  });

  it('suggests audio-only on a bad link or under 150 kbit/s', () => {
    expect(suggestsAudioOnly('bad')).toBe(true);
    expect(suggestsAudioOnly('good', 100_000)).toBe(true);
    expect(suggestsAudioOnly('poor', 400_000)).toBe(false);
  });
});
