/*
 * DNS: the resolver's answers for the hosts of a report's routes, cached
 * for `trafficPath.dns.cacheTtlSeconds` in Backstage's cache service, and
 * applied by the engine's pure check.
 */
import { CacheService } from '@backstage/backend-plugin-api';
import {
  applyDnsAnswers,
  DnsAnswer,
  dnsQuestions,
  Report,
} from '@internal/plugin-traffic-path-common';
import { DnsLookup } from './dnsResolver';

export type DnsCheck = {
  /** The report with DNS findings; `refresh` asks again (the record may just have been fixed). */
  check(report: Report, refresh: boolean): Promise<Report>;
};

export function createDnsCheck(deps: {
  lookup: DnsLookup;
  cache: CacheService;
  ttlMs: number;
}): DnsCheck {
  const { lookup, cache, ttlMs } = deps;
  return {
    async check(report, refresh) {
      const answers = new Map<string, DnsAnswer>();
      const missing: string[] = [];
      for (const name of dnsQuestions(report)) {
        const cached =
          ttlMs > 0 && !refresh
            ? ((await cache.get(`dns:${name}`)) as DnsAnswer | undefined)
            : undefined;
        if (cached) answers.set(name, cached);
        else missing.push(name);
      }
      // One lookup call for all missing names, so that its concurrency bound holds.
      if (missing.length > 0) {
        for (const [name, answer] of await lookup(missing)) {
          answers.set(name, answer);
          if (ttlMs > 0)
            await cache.set(`dns:${name}`, answer as never, { ttl: ttlMs });
        }
      }
      return applyDnsAnswers(report, answers);
    },
  };
}
