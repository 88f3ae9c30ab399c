import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { liveEnvSchema, parseEnv } from '@balai/config';
import { WorkerPoolService } from '../../../apps/live/src/media/worker-pool.service';

/** A real mediasoup worker, router and WebRTC transport through the live app's worker pool. */
describe('smoke: mediasoup through WorkerPoolService', () => {
  let moduleRef: TestingModule;
  let pool: WorkerPoolService;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => parseEnv(liveEnvSchema, process.env)] })],
      providers: [WorkerPoolService],
    }).compile();
    await moduleRef.init();
    pool = moduleRef.get(WorkerPoolService);
  });

  afterAll(async () => {
    await moduleRef.close();
  });

  it('starts the configured number of workers', () => {
    expect(pool.aliveCount).toBe(1);
  });

  it('creates a router and a WebRTC transport listening on UDP and TCP', async () => {
    const router = await pool.createRouter();
    expect(router.rtpCapabilities.codecs?.map((c) => c.mimeType)).toEqual(
      expect.arrayContaining(['audio/opus', 'video/VP8']),
    );
    const transport = await router.createWebRtcTransport({
      listenInfos: pool.listenInfos(),
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
    });
    const protocols = transport.iceCandidates.map((c) => c.protocol).sort();
    expect(protocols).toEqual(['tcp', 'udp']);
    expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    transport.close();
    router.close();
  });
});
