/**
 * `npm run fuzz:long` (and `npm run fuzz`): the schemathesis run of test/fuzz/fuzz-run.ts
 * outside jest, with a larger budget. Needs the shared services (`infra/balai services`);
 * uses its own database and Redis prefix like a test file does.
 *
 *   npm run fuzz:long                       # >= 50,000 cases
 *   npm run fuzz -- --examples 3 --workers 3 --anonymous-public   # what the CI test runs
 *   npm run fuzz -- --roles admin --verbose  # one role, with schemathesis' own output
 */
import '../support/setup-env';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { FUZZ_RATE_LIMITS } from './fuzz-env';
import { FuzzRole, runFuzz } from './fuzz-run';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  Object.assign(process.env, FUZZ_RATE_LIMITS);
  const { startApiApp } = await import('../support/api-app');
  const app = await startApiApp();
  try {
    const summary = await runFuzz(app, {
      maxExamples: Number(value('examples') ?? 300),
      workers: Number(value('workers') ?? 4),
      reportDir: value('report-dir') ?? join(tmpdir(), `balai-fuzz-${Date.now()}`),
      roles: value('roles')?.split(',') as FuzzRole[] | undefined,
      seed: value('seed') ? Number(value('seed')) : undefined,
      verbose: args.includes('--verbose'),
      parallel: !args.includes('--serial'),
      anonymousScope: args.includes('--anonymous-public') ? 'public' : 'all',
    });
    const min = Number(value('min-cases') ?? 0);
    const bad = Object.values(summary.failures).reduce((a, b) => a + b, 0) + summary.errors;
    if (bad > 0 || summary.cases < min) {
      process.stdout.write(
        `[fuzz] FAILED (${bad} failures/errors, ${summary.cases} cases, wanted >= ${min}); reports: ${summary.roles.map((r) => r.reportPath).join(' ')}\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
