import { getQueueToken } from '@nestjs/bullmq';
import { Test, TestingModule } from '@nestjs/testing';
import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import { BalaiConfigModule, sharedEnvSchema } from '@balai/config';
import { QUEUES, QueueModule } from '@balai/queue';

/** A job enqueued through the project's QueueModule and processed through Redis. */
describe('smoke: BullMQ through QueueModule and Redis', () => {
  let moduleRef: TestingModule;
  let queue: Queue;
  let worker: Worker;
  let events: QueueEvents;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [BalaiConfigModule.forApp(sharedEnvSchema), QueueModule.forRoot()],
    }).compile();
    await moduleRef.init();
    queue = moduleRef.get(getQueueToken(QUEUES.notifications));
  });

  afterAll(async () => {
    await worker?.close();
    await events?.close();
    await queue.obliterate({ force: true });
    await moduleRef.close();
  });

  it('processes an enqueued job and returns its result', async () => {
    const connection = queue.opts.connection;
    const prefix = queue.opts.prefix;
    events = new QueueEvents(QUEUES.notifications, { connection, prefix });
    await events.waitUntilReady();
    worker = new Worker(QUEUES.notifications, async (job: Job<{ n: number }>) => ({ doubled: job.data.n * 2 }), {
      connection,
      prefix,
    });
    const job = await queue.add('smoke', { n: 21 });
    const result = await job.waitUntilFinished(events, 10_000);
    expect(result).toEqual({ doubled: 42 });
    expect(prefix).toBe(process.env.REDIS_PREFIX);
  });
});
