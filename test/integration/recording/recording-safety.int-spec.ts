/**
 * Recording safety checks (issue 13): a full disk stops the recording with a
 * notice to the host and moderators only (the room hears only that recording
 * stopped), and no ffmpeg means recording is unavailable with the reason.
 * The disk is simulated by the service's free-space probe; everything else is real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveErrorCode } from '@balai/live-contract';
import type { MediaService as MediaServiceType } from '../../../apps/live/src/media/media.service';
import type { RecordingService as RecordingServiceType } from '../../../apps/live/src/recording/recording.service';
import type { RoomRegistry as RoomRegistryType } from '../../../apps/live/src/rooms/room-registry.service';
import { LiveClient, startLiveApp } from '../../support/live-app';
import { prepareFakeMedia, publishFake } from './support/fake-publisher';

const spool = mkdtempSync(join(tmpdir(), 'balai-rec-safe-'));
process.env.RECORDING_SPOOL_DIR = spool;
process.env.RECORDING_DISK_CHECK_MS = '200';

afterAll(() => rmSync(spool, { recursive: true, force: true }));

describe('recording safety', () => {
  it('stops on a full disk and tells the staff only', async () => {
    prepareFakeMedia('0x2040ff');
    const live = await startLiveApp();
    try {
      const course = await live.factory.course();
      const host = await LiveClient.connect(live.url, course.trainer.token);
      await host.ok('room:join', { sessionId: course.sessionId });
      const participant = await LiveClient.connect(live.url, (await live.factory.participant(course)).token);
      await participant.ok('room:join', { sessionId: course.sessionId });
      const { MediaService } = await import('../../../apps/live/src/media/media.service');
      const { RecordingService } = await import('../../../apps/live/src/recording/recording.service');
      const { RoomRegistry } = await import('../../../apps/live/src/rooms/room-registry.service');
      const room = live.app.get<RoomRegistryType>(RoomRegistry).get(course.sessionId)!;
      const fake = await publishFake(
        live.app.get<MediaServiceType>(MediaService),
        room,
        room.peers.get(course.trainer.id)!,
        'camera',
      );
      const recordings = live.app.get<RecordingServiceType>(RecordingService);

      await host.ok('recording:start', {});
      expect(await participant.next('recording:status')).toMatchObject({ recording: true });
      jest.spyOn(recordings, 'freeBytes').mockResolvedValue(1024); // the disk fills up
      expect(await host.next('recording:notice', 10_000)).toMatchObject({ reason: 'disk-full' });
      expect(await participant.next('recording:status', 5000)).toMatchObject({ recording: false });
      await expect(participant.next('recording:notice', 1000)).rejects.toThrow();
      // While the disk stays full, a new start is refused with the reason.
      expect(await host.request('recording:start', {})).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.BadState, message: expect.stringContaining('disk-full') },
      });
      fake.stop();
      host.close();
      participant.close();
    } finally {
      await live.close();
    }
  }, 120_000);

  it('is unavailable, with the reason, when ffmpeg is missing', async () => {
    jest.resetModules();
    process.env.FFMPEG_PATH = '/nonexistent/ffmpeg';
    const { startLiveApp: start, LiveClient: Client } = await import('../../support/live-app');
    const live = await start();
    try {
      const course = await live.factory.course();
      const host = await Client.connect(live.url, course.trainer.token);
      await host.ok('room:join', { sessionId: course.sessionId });
      expect(await host.ok('recording:query', { sessionId: course.sessionId })).toMatchObject({
        recording: false,
        available: false,
        unavailableReason: 'ffmpeg-missing',
      });
      expect(await host.request('recording:start', {})).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.BadState, message: expect.stringContaining('ffmpeg-missing') },
      });
      host.close();
    } finally {
      await live.close();
      delete process.env.FFMPEG_PATH;
    }
  }, 120_000);
});
