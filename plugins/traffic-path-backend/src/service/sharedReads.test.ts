import { memoryCache } from '../__testUtils__/memoryCache';
import { createSharedReads } from './sharedReads';

const later = <T>(value: T) =>
  new Promise<T>(resolve => setTimeout(() => resolve(value), 10));

describe('createSharedReads', () => {
  it('shares one read among concurrent requests, and only the first counts it as its own', async () => {
    const reads = createSharedReads({ cache: memoryCache(), ttlMs: 30_000 });
    let produced = 0;
    const produce = () => {
      produced += 1;
      return later({ n: produced });
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => reads.get('snapshot:a', false, produce)),
    );
    expect(produced).toBe(1);
    expect(answers.filter(a => a.fresh)).toHaveLength(1);
    expect(answers.every(a => a.value.n === 1)).toBe(true);
  });

  it('answers from the cache for the TTL, and writes there what a refresh read', async () => {
    const cache = memoryCache();
    const reads = createSharedReads({ cache, ttlMs: 30_000 });
    await reads.get('k', false, async () => 'first');
    expect(cache.ttls.get('k')).toBe(30_000);
    expect(await reads.get('k', false, async () => 'second')).toEqual({
      value: 'first',
      fresh: false,
    });
    expect(await reads.get('k', true, async () => 'third')).toEqual({
      value: 'third',
      fresh: true,
    });
    expect(cache.entries.get('k')).toBe('third');
  });

  it('caches nothing with a TTL of 0', async () => {
    const cache = memoryCache();
    const reads = createSharedReads({ cache, ttlMs: 0 });
    await reads.get('k', false, async () => 'first');
    expect(cache.entries.size).toBe(0);
    expect((await reads.get('k', false, async () => 'second')).value).toBe(
      'second',
    );
  });

  it('does not keep a failed read: the next request reads again', async () => {
    const reads = createSharedReads({ cache: memoryCache(), ttlMs: 30_000 });
    await expect(
      reads.get('k', false, async () => {
        throw new Error('cluster down');
      }),
    ).rejects.toThrow('cluster down');
    expect((await reads.get('k', false, async () => 'back')).value).toBe(
      'back',
    );
  });
});
