/**
 * bench:certificates — issues N certificates (default 1,000) through the real
 * worker process against the local FerretDB and Redis, then reports
 * certificates per second, p50/p95 time per certificate (BullMQ processedOn ->
 * finishedOn) and the worker's peak RSS (VmHWM from /proc).
 * Uses its own database and Redis prefix and removes them afterwards.
 *
 *   npm run bench:certificates -- [count] [concurrency, default the worker's WORKER_CONCURRENCY]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Types } from 'mongoose';
import { CERTIFICATE_JOBS, certificateJobId, IssueCertificateJob, QUEUES } from '@balai/queue';
import { workerEnvSchema } from '@balai/config';
import { addParticipants, connectDb, createFinishedCourse } from '../../test/support/db-factories';
import { SmtpSink } from '../../test/support/smtp-sink';
import { sleep } from '../../test/support/wait';
import { WorkerProcess } from '../../test/support/worker-process';
import { BuiltWorkerProcess } from './built-worker';

const count = Number(process.argv[2] ?? 1000);
const TICK = 100; // clock ticks per second (USER_HZ) on Linux

/**
 * CPU seconds (user + system, all threads) of a process; with `children`, plus those of its children
 * that ended and were waited for (PostgreSQL's backends, reaped by the postmaster, stay counted).
 */
function cpuSeconds(pid: number, children = false): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return (children ? own + Number(fields[13]) + Number(fields[14]) : own) / TICK;
  } catch {
    return 0;
  }
}
function pidsNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    })
    .map(Number);
}
/**
 * The PostgreSQL server behind FerretDB (BENCH_PG_PORT, default the project's 5490): its postmaster
 * and its backends only, not the private clusters other benches and tests start on the same machine.
 * Undefined when its listener is not visible (then every `postgres` process is counted).
 */
function postgresServerPids(port: number): number[] | undefined {
  const postmaster = listenerPid(port);
  if (!postmaster) return undefined;
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(postmaster);
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}
/** The process listening on a loopback port (the MongoDB-protocol server), if this user can see it. */
function listenerPid(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`]).toString();
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
/** The worker's own default (WORKER_CONCURRENCY) unless given. */
const concurrency = process.argv[3];

async function main(): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const mongo = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/balai');
  mongo.pathname = `/balai_bench_${suffix}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';
  const prefix = `bench_${suffix}`;
  const smtp = new SmtpSink();
  const smtpUrl = await smtp.start();
  const db = await connectDb(mongo.toString());
  const url = new URL(redisUrl);
  const queue = new Queue<IssueCertificateJob>(QUEUES.certificates, {
    connection: { host: url.hostname, port: Number(url.port || 6379) },
    prefix,
  });
  const workerEnv = {
    MONGODB_URI: mongo.toString(),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    SMTP_URL: smtpUrl,
    ...(concurrency ? { WORKER_CONCURRENCY: concurrency } : {}),
    LOG_LEVEL: 'info',
  };
  // BENCH_WORKER=dist: the production build (npm run build:server); otherwise from TypeScript sources.
  const built = process.env.BENCH_WORKER === 'dist';
  const worker = built ? new BuiltWorkerProcess(workerEnv) : new WorkerProcess(workerEnv);
  try {
    process.stdout.write(`seeding ${count} participants...\n`);
    const seedStarted = Date.now();
    const course = await createFinishedCourse(db, { sessionCount: 2 });
    const userIds: string[] = [];
    for (let i = 0; i < count; i += 500) {
      userIds.push(
        ...(await addParticipants(
          db,
          course,
          Array.from({ length: Math.min(500, count - i) }, () => ({ attendancePercent: 95 })),
        )),
      );
    }
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    process.stdout.write(`seeded in ${seedSeconds.toFixed(1)} s\n`);
    await worker.start();
    const baseRss = worker.peakRssMiB();
    await queue.addBulk(
      userIds.map((userId) => ({
        name: CERTIFICATE_JOBS.issue,
        data: { courseId: course.id, userId, requestedBy: 'bench' },
        opts: { jobId: certificateJobId(course.id, userId) },
      })),
    );
    const dbPid = listenerPid(Number(mongo.port || 27017));
    const pgPort = Number(process.env.BENCH_PG_PORT ?? 5490);
    const pgLabel = postgresServerPids(pgPort) ? `PostgreSQL :${pgPort}` : 'all postgres processes';
    const cpu = () => ({
      worker: cpuSeconds(worker.pid),
      db: dbPid ? cpuSeconds(dbPid) : 0,
      // FerretDB's PostgreSQL backend: the server's backends are processes of their own.
      postgres: (postgresServerPids(pgPort) ?? pidsNamed('postgres')).reduce(
        (sum, pid) => sum + cpuSeconds(pid, true),
        0,
      ),
    });
    const cpuStart = cpu();
    const started = Date.now();
    let peakRss = baseRss ?? 0;
    for (;;) {
      const counts = await queue.getJobCounts('completed', 'failed');
      peakRss = Math.max(peakRss, worker.peakRssMiB() ?? 0);
      if (counts.completed + counts.failed >= count) break;
      if (Date.now() - started > 30 * 60_000) throw new Error('bench timed out after 30 minutes');
      if (process.stdout.isTTY)
        process.stdout.write(
          `\r${counts.completed}/${count} completed, ${counts.failed} failed, ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
      await sleep(1000);
    }
    const cpuEnd = cpu();
    const mailsAtEnd = smtp.messages.length;
    // The emails are separate jobs that may trail the certificates: wait for them (BENCH_MAIL_WAIT_S,
    // default 120 s, so the bench does not hold the machine for long) and say what the whole thing
    // cost, certificates and emails together.
    const mailWaitMs = Number(process.env.BENCH_MAIL_WAIT_S ?? 120) * 1000;
    const mailWaitStarted = Date.now();
    while (smtp.messages.length < count && Date.now() - mailWaitStarted < mailWaitMs) {
      peakRss = Math.max(peakRss, worker.peakRssMiB() ?? 0);
      await sleep(250);
    }
    const allMailsAfter = (Date.now() - started) / 1000;
    const cpuWithMail = cpu();
    const jobs = await queue.getJobs(['completed', 'failed'], 0, count);
    const first = Math.min(...jobs.map((j) => j.processedOn ?? Infinity));
    const last = Math.max(...jobs.map((j) => j.finishedOn ?? 0));
    const durations = jobs.map((j) => (j.finishedOn ?? 0) - (j.processedOn ?? 0)).sort((a, b) => a - b);
    const pct = (p: number) => durations[Math.min(durations.length - 1, Math.ceil((p / 100) * durations.length) - 1)]!;
    const issued = await db.certificates.countDocuments({ courseId: new Types.ObjectId(course.id) });
    const failed = jobs.filter((j) => j.failedReason).length;
    const reasons = [...new Set(jobs.filter((j) => j.failedReason).map((j) => j.failedReason))];
    // Flat as stored certificates grow? Jobs in the order they finished, in tenths: rate and p50 of each.
    const byFinish = [...jobs].sort((a, b) => (a.finishedOn ?? 0) - (b.finishedOn ?? 0));
    const tenth = Math.max(1, Math.floor(byFinish.length / 10));
    const deciles: string[] = [];
    for (let i = 0; i + tenth <= byFinish.length; i += tenth) {
      const part = byFinish.slice(i, i + tenth);
      const span = ((part.at(-1)!.finishedOn ?? 0) - (byFinish[Math.max(0, i - 1)]!.finishedOn ?? first)) / 1000;
      const d = part.map((j) => (j.finishedOn ?? 0) - (j.processedOn ?? 0)).sort((a, b) => a - b);
      deciles.push(`${(part.length / Math.max(span, 0.001)).toFixed(0)}/s p50 ${d[Math.floor(d.length / 2)]} ms`);
    }
    const perCert = (seconds: number) => `${((seconds * 1000) / Math.max(issued, 1)).toFixed(1)} ms`;
    process.stdout.write('\n');
    process.stdout.write(
      [
        `certificates issued:        ${issued} of ${count} (failed jobs: ${failed})`,
        `worker:                     ${built ? 'production build (dist)' : 'TypeScript sources (swc)'}, concurrency ${concurrency ?? `${workerEnvSchema.shape.WORKER_CONCURRENCY.parse(undefined)} (the default)`}`,
        `seeding:                    ${count} participants in ${seedSeconds.toFixed(1)} s`,
        `wall time (first start -> last finish): ${((last - first) / 1000).toFixed(1)} s`,
        `throughput:                 ${(issued / ((last - first) / 1000)).toFixed(2)} certificates/s`,
        `time per certificate (job taken -> certificate stored, email job queued): p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${durations[durations.length - 1]} ms`,
        `worker peak RSS (VmHWM):    ${peakRss.toFixed(0)} MiB (after start-up: ${(baseRss ?? 0).toFixed(0)} MiB)`,
        `CPU per certificate:        worker ${perCert(cpuEnd.worker - cpuStart.worker)}, MongoDB-protocol server ${dbPid ? perCert(cpuEnd.db - cpuStart.db) : 'n/a (not visible)'}, ${pgLabel} ${perCert(cpuEnd.postgres - cpuStart.postgres)}`,
        `by tenths of the batch:     ${deciles.join(' | ')}`,
        `emails received by SMTP:    ${mailsAtEnd} when the last certificate was stored, ${smtp.messages.length}${smtp.messages.length >= count ? ' (all)' : ''} ${allMailsAfter.toFixed(1)} s after the batch was queued`,
        `CPU per certificate with its email (to the point above; per certificate issued): worker ${perCert(cpuWithMail.worker - cpuStart.worker)}, MongoDB-protocol server ${dbPid ? perCert(cpuWithMail.db - cpuStart.db) : 'n/a'}, ${pgLabel} ${perCert(cpuWithMail.postgres - cpuStart.postgres)}`,
        ...(reasons.length ? [`failure reasons:            ${reasons.join(' | ')}`] : []),
        `host: ${cpus().length} CPUs, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      ].join('\n') + '\n',
    );
  } finally {
    await worker.stop('SIGTERM');
    await queue.obliterate({ force: true }).catch(() => undefined);
    const notifications = new Queue(QUEUES.notifications, {
      connection: { host: url.hostname, port: Number(url.port || 6379) },
      prefix,
    });
    await notifications.obliterate({ force: true }).catch(() => undefined);
    await notifications.close();
    await queue.close();
    // The worker's own keys (notification de-duplication) under the same prefix.
    const redis = new Redis(redisUrl);
    for (let cursor = '0'; ;) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      if (next === '0') break;
      cursor = next;
    }
    redis.disconnect();
    await db.close(true);
    await smtp.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
