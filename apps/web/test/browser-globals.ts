/**
 * The few browser globals the client's modules touch when they load
 * (localStorage, document.documentElement.lang, window events, location), for
 * the `web` jest project in node. Only stand-ins: tests that need behaviour
 * (fetch, timers) set it up themselves.
 */
class MemoryStorage {
  private items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
}

const g = globalThis as Record<string, unknown>;
g.localStorage = new MemoryStorage();
g.document = { documentElement: { lang: '' }, getElementById: () => null };
g.location = { hash: '', pathname: '/', search: '', origin: 'http://localhost' };
g.history = { replaceState: () => undefined };
g.window = Object.assign(g.window ?? {}, { addEventListener: () => undefined, removeEventListener: () => undefined });
