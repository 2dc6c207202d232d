/*
 * The DNS lookups against a local authoritative server: answers, NXDOMAIN,
 * and the bound on names resolved at the same time.
 */
import { startDnsServer } from '../__testUtils__/dnsServer';
import { createDnsLookup } from './dnsResolver';

describe('createDnsLookup', () => {
  it('resolves A, AAAA and CNAME, says NXDOMAIN, and never has more names in flight than allowed', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `app${i}.example.com`);
    const dns = await startDnsServer(
      {
        ...Object.fromEntries(
          names.map((n, i) => [n, { A: [`192.0.2.${i + 1}`] }]),
        ),
        'both.example.com': { A: ['192.0.2.100'], AAAA: ['2001:db8::100'] },
        'alias.example.com': { CNAME: 'lb.example.net' },
      },
      { delayMs: 30 },
    );
    try {
      const lookup = createDnsLookup({
        timeoutMs: 2000,
        concurrency: 2,
        servers: [dns.server],
      });
      const answers = await lookup([
        ...names,
        'both.example.com',
        'alias.example.com',
        'missing.example.com',
      ]);
      expect(answers.get('app3.example.com')).toEqual({
        addresses: ['192.0.2.4'],
        cnames: [],
      });
      expect(answers.get('both.example.com')).toEqual({
        addresses: ['192.0.2.100', '2001:db8::100'],
        cnames: [],
      });
      expect(answers.get('alias.example.com')).toEqual({
        addresses: [],
        cnames: ['lb.example.net'],
      });
      expect(answers.get('missing.example.com')).toEqual({
        addresses: [],
        cnames: [],
        error: 'NXDOMAIN',
      });
      // Two names at a time, three record types each.
      expect(dns.maxInFlight()).toBeLessThanOrEqual(6);
      expect(dns.maxInFlight()).toBeGreaterThan(1);
    } finally {
      await dns.close();
    }
  });
});
