/*
 * Cache: reads of a cluster go through Backstage's cache service (memory,
 * or Redis / Valkey shared by instances) for the TTL, and concurrent
 * requests for one key share one read.
 */
import { CacheService } from '@backstage/backend-plugin-api';

export type Shared<T> = {
  value: T;
  /** Whether this request produced the value (its API calls count for it). */
  fresh: boolean;
};

export type SharedReads = {
  /**
   * The cached value of `key`, or the one a running read produces, or a new
   * read's. `refresh` skips the cache (a read already running is fresh
   * enough) and the new value replaces the cached one.
   */
  get<T>(
    key: string,
    refresh: boolean,
    produce: () => Promise<T>,
  ): Promise<Shared<T>>;
};

export function createSharedReads(deps: {
  cache: CacheService;
  /** 0: nothing is cached; concurrent requests still share a read. */
  ttlMs: number;
}): SharedReads {
  const { cache, ttlMs } = deps;
  const running = new Map<string, Promise<unknown>>();
  return {
    async get<T>(
      key: string,
      refresh: boolean,
      produce: () => Promise<T>,
    ): Promise<Shared<T>> {
      if (ttlMs > 0 && !refresh) {
        const cached = (await cache.get(key)) as T | undefined;
        if (cached !== undefined) return { value: cached, fresh: false };
      }
      const joined = running.get(key) as Promise<T> | undefined;
      if (joined) return { value: await joined, fresh: false };
      const read = produce()
        .then(async value => {
          if (ttlMs > 0) await cache.set(key, value as never, { ttl: ttlMs });
          return value;
        })
        .finally(() => running.delete(key));
      running.set(key, read);
      return { value: await read, fresh: true };
    },
  };
}
