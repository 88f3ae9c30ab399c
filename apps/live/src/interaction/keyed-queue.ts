/**
 * Runs tasks one after another per key (here: one person in one poll or
 * question), so the person's Redis count change and database write happen in
 * the same order even when their client sends several at once. Other keys run
 * in parallel. A person is on one live node at a time (the newest connection
 * replaces the older), so per-process ordering is enough.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Resolves once nothing is queued for keys starting with `prefix`. */
  async idle(prefix: string): Promise<void> {
    for (;;) {
      const tails = [...this.tails].filter(([key]) => key.startsWith(prefix)).map(([, tail]) => tail);
      if (!tails.length) return;
      await Promise.all(tails);
    }
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
