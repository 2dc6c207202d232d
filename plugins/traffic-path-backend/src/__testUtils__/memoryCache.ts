/* A CacheService in a Map, that says what it was asked. */
import { CacheService } from '@backstage/backend-plugin-api';

export function memoryCache(): CacheService & {
  entries: Map<string, unknown>;
  ttls: Map<string, number | undefined>;
} {
  const entries = new Map<string, unknown>();
  const ttls = new Map<string, number | undefined>();
  const cache = {
    entries,
    ttls,
    async get(key: string) {
      return entries.get(key) as never;
    },
    async set(key: string, value: unknown, options?: { ttl?: unknown }) {
      entries.set(key, value);
      ttls.set(key, options?.ttl as number | undefined);
    },
    async delete(key: string) {
      entries.delete(key);
    },
    withOptions: () => cache,
  };
  return cache as never;
}
