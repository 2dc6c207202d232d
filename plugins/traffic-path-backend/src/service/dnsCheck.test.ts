import { join, resolve } from 'node:path';
import {
  DnsAnswer,
  dnsQuestions,
  loadObjects,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { memoryCache } from '../__testUtils__/memoryCache';
import { scenarioObjects } from '../__testUtils__/scenarioObjects';
import { createDnsCheck } from './dnsCheck';

const report = resolveReport(
  loadObjects(
    scenarioObjects(
      join(
        resolve(__dirname, '../../../..'),
        'test/scenarios/seed-004/cluster',
      ),
    ),
  ),
);
const hosts = dnsQuestions(report);

/** A resolver that knows no name, and says what it was asked. */
function lookupRecording() {
  const asked: string[][] = [];
  return {
    asked,
    lookup: async (names: string[]) => {
      asked.push(names);
      return new Map<string, DnsAnswer>(
        names.map(n => [n, { addresses: [], cnames: [], error: 'NXDOMAIN' }]),
      );
    },
  };
}

describe('createDnsCheck', () => {
  it('asks about the hosts of the routes in one call, and reports those that do not resolve', async () => {
    expect(hosts.length).toBeGreaterThan(0);
    const { lookup, asked } = lookupRecording();
    const checked = await createDnsCheck({
      lookup,
      cache: memoryCache(),
      ttlMs: 60_000,
    }).check(report, false);
    expect(asked).toEqual([hosts]);
    expect(checked.findings.some(f => f.code === 'DNS_UNRESOLVED')).toBe(true);
  });

  it('keeps answers for their TTL, and asks again on refresh', async () => {
    const { lookup, asked } = lookupRecording();
    const dns = createDnsCheck({ lookup, cache: memoryCache(), ttlMs: 60_000 });
    await dns.check(report, false);
    await dns.check(report, false);
    expect(asked).toHaveLength(1);
    await dns.check(report, true);
    expect(asked).toHaveLength(2);
  });
});
