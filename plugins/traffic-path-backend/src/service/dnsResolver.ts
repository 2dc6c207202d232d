/*
 * The DNS lookups of the DNS check: A, AAAA and CNAME for each name, with a
 * timeout, a bound on concurrent lookups, and no traffic but DNS queries
 * (to the system's resolvers, or to `trafficPath.dns.servers`).
 */
import { Resolver } from 'node:dns/promises';
import { DnsAnswer } from '@internal/plugin-traffic-path-common';

export type DnsOptions = {
  timeoutMs: number;
  concurrency: number;
  /** `ip` or `ip:port` of resolvers to ask instead of the system's. */
  servers?: string[];
};

export type DnsLookup = (names: string[]) => Promise<Map<string, DnsAnswer>>;

/** Codes that mean "this record type does not exist", not "the lookup failed". */
const EMPTY = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'ENONAME']);

async function query(
  run: () => Promise<string[]>,
): Promise<{ records: string[]; error?: string }> {
  try {
    return { records: await run() };
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'ERROR';
    if (code === 'ENOTFOUND') return { records: [], error: 'NXDOMAIN' };
    if (code === 'ENODATA') return { records: [], error: 'NODATA' };
    if (code === 'ETIMEOUT') return { records: [], error: 'TIMEOUT' };
    return { records: [], error: EMPTY.has(code) ? 'NODATA' : code };
  }
}

export function createDnsLookup(options: DnsOptions): DnsLookup {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 1 });
  if (options.servers?.length) resolver.setServers(options.servers);

  async function lookup(name: string): Promise<DnsAnswer> {
    const [a, aaaa, cname] = await Promise.all([
      query(() => resolver.resolve4(name)),
      query(() => resolver.resolve6(name)),
      query(() => resolver.resolveCname(name)),
    ]);
    const addresses = [...a.records, ...aaaa.records];
    const error =
      addresses.length || cname.records.length
        ? undefined
        : a.error ?? aaaa.error ?? cname.error;
    return { addresses, cnames: cname.records, ...(error ? { error } : {}) };
  }

  return async names => {
    const answers = new Map<string, DnsAnswer>();
    const queue = [...new Set(names)];
    // A small pool of workers: at most `concurrency` names in flight.
    const workers = Array.from(
      { length: Math.max(1, Math.min(options.concurrency, queue.length)) },
      async () => {
        for (
          let name = queue.shift();
          name !== undefined;
          name = queue.shift()
        ) {
          answers.set(name, await lookup(name));
        }
      },
    );
    await Promise.all(workers);
    return answers;
  };
}
