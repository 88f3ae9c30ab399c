/**
 * Which simulcast layer a viewer gets. The camera is sent as three layers
 * (about 320, 640 and 1280 px wide); a viewer gets the smallest layer at least
 * as wide as the tile it shows (so a thumbnail never pulls 720p), capped by the
 * reported link quality (a weak link gets the lowest layer at a lower frame
 * rate). Screen share is not simulcast and is left alone.
 */
import type { NetworkQuality } from '@balai/live-contract';

export interface LayerChoice {
  spatialLayer: number;
  temporalLayer: number;
}

export const SIMULCAST_WIDTHS = [320, 640, 1280] as const;
const TOP = SIMULCAST_WIDTHS.length - 1;
const MAX_TEMPORAL = 2;

const NETWORK_CAP: Record<NetworkQuality, LayerChoice> = {
  good: { spatialLayer: TOP, temporalLayer: MAX_TEMPORAL },
  fair: { spatialLayer: 1, temporalLayer: MAX_TEMPORAL },
  poor: { spatialLayer: 0, temporalLayer: 1 },
  bad: { spatialLayer: 0, temporalLayer: 0 },
};

export function chooseLayers(viewport: { width: number; height: number } | undefined, network: NetworkQuality): LayerChoice {
  let spatialLayer = TOP;
  if (viewport) {
    // Landscape 16:9 tiles: the width the tile needs, from either side.
    const needed = Math.max(viewport.width, Math.round((viewport.height * 16) / 9));
    const index = SIMULCAST_WIDTHS.findIndex((width) => width >= needed);
    spatialLayer = index === -1 ? TOP : index;
  }
  const cap = NETWORK_CAP[network];
  return {
    spatialLayer: Math.min(spatialLayer, cap.spatialLayer),
    temporalLayer: Math.min(MAX_TEMPORAL, cap.temporalLayer),
  };
}

/** The link is too weak for video: offer audio-only. */
export function suggestsAudioOnly(network: NetworkQuality, availableBitrate?: number): boolean {
  return network === 'bad' || (availableBitrate !== undefined && availableBitrate < 150_000);
}
