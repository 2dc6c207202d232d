/*
 * The scan's cache: values kept by reference in this process, for the
 * scan's own routes service. coreServices.cache serialises every value,
 * and a scan reads a cluster's shared snapshot once per entity: over a
 * 5,000-pod cluster, deserialising it took more than half of a 500-entity
 * scan's CPU. Values are the fetcher's read-only object batches; the scan
 * clears the cache when it starts, so each scan reads the clusters afresh
 * and shares each read among its entities.
 */
import { CacheService } from '@backstage/backend-plugin-api';
import { LRUCache } from 'lru-cache';

export function createScanCache(options: {
  /** Entries kept at most (snapshots and pod lists of every cluster). */
  max: number;
  /** The TTL when a set gives none, in milliseconds. */
  defaultTtlMs: number;
}): CacheService & { clear(): void } {
  const entries = new LRUCache<string, { value: unknown }>({
    max: options.max,
    ttl: options.defaultTtlMs,
  });
  const cache: CacheService & { clear(): void } = {
    async get(key) {
      return entries.get(key)?.value as never;
    },
    async set(key, value, setOptions) {
      const ttl =
        typeof setOptions?.ttl === 'number'
          ? setOptions.ttl
          : options.defaultTtlMs;
      if (ttl > 0) entries.set(key, { value }, { ttl });
    },
    async delete(key) {
      entries.delete(key);
    },
    withOptions: () => cache,
    /** Forgets everything: each scan reads the clusters afresh. */
    clear: () => entries.clear(),
  };
  return cache;
}
