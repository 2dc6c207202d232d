import { createScanCache } from './scanCache';

describe('createScanCache', () => {
  it('keeps values by reference until their TTL, and only the newest max', async () => {
    const cache = createScanCache({ max: 2, defaultTtlMs: 1000 });
    const snapshot = { objects: [{ kind: 'Service' }] };
    await cache.set('a', snapshot as never, { ttl: 30 });
    expect(await cache.get('a')).toBe(snapshot);
    await new Promise(r => setTimeout(r, 50));
    expect(await cache.get('a')).toBeUndefined();
    await cache.set('b', 1);
    await cache.set('c', 2);
    await cache.set('d', 3);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('d')).toBe(3);
    await cache.delete('d');
    expect(await cache.get('d')).toBeUndefined();
    await cache.set('e', 4);
    cache.clear();
    expect(await cache.get('e')).toBeUndefined();
  });
});
