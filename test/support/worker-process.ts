/**
 * The worker as its own OS process (`node -r @swc-node/register apps/worker/src/main.ts`),
 * so tests can SIGKILL or SIGTERM it like an orchestrator would.
 */
import { ServiceProcess } from './service-process';

export class WorkerProcess extends ServiceProcess {
  constructor(env: Record<string, string>) {
    super('worker', { WORKER_HEALTH_PORT: '0', ...env });
  }
}
