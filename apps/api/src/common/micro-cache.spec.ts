import { MicroCache } from './micro-cache';

describe('MicroCache', () => {
  it('shares one load between concurrent misses and serves it until the TTL', async () => {
    const sut = new MicroCache<number>(1000);
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([sut.get('k', load), sut.get('k', load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await sut.get('k', load)).toBe(1);
    sut.clear();
    expect(await sut.get('k', load)).toBe(2);
  });

  it('does not keep failures', async () => {
    const sut = new MicroCache<number>(1000);
    await expect(sut.get('k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await new Promise((r) => setImmediate(r));
    expect(await sut.get('k', async () => 7)).toBe(7);
  });

  it('expires entries', async () => {
    const sut = new MicroCache<number>(5);
    expect(await sut.get('k', async () => 1)).toBe(1);
    await new Promise((r) => setTimeout(r, 15));
    expect(await sut.get('k', async () => 2)).toBe(2);
  });
});
