import { CLIENT_EVENTS } from '@balai/live-contract';
import { SignallingWiringCheck } from '../../../apps/live/src/signalling/wiring-check';
import { RunningLive, startLiveApp } from '../../support/live-app';

describe('signalling wiring check', () => {
  let live: RunningLive;

  beforeAll(async () => {
    live = await startLiveApp();
  });
  afterAll(async () => {
    await live.close();
  });

  it('finds exactly one handler per contract event in the running app (so the boot check is meaningful)', () => {
    const handled = live.app.get(SignallingWiringCheck).handledEvents();
    expect([...handled].sort()).toEqual([...CLIENT_EVENTS].sort());
  });
});
