/** What every bench script shares: its numeric options and how it ends. */

/** `--name 42` from the command line, or the fallback. */
export function numberOption(name: string, fallback: number, argv: readonly string[] = process.argv.slice(2)): number {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number (got ${argv[i + 1] ?? 'nothing'})`);
  return value;
}

/** Runs a bench's main(): a failure prints its stack and exits 1 (the bench's own exit code otherwise). */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
