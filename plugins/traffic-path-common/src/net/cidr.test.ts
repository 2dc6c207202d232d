import fc from 'fast-check';
import { cidrContains, isPrivateAddress, parseCidr, parseIp } from './cidr';

describe('parseIp', () => {
  it.each([
    ['10.1.2.3', 4],
    ['2001:db8::1', 6],
    ['::ffff:192.0.2.1', 6],
    ['fe80::1%eth0', 6],
  ])('reads %s as IPv%i', (text, family) => {
    expect(parseIp(text)?.family).toBe(family);
  });

  it.each([
    '10.1.2',
    '256.1.1.1',
    '1.2.3.4.5',
    '2001:db8:::1',
    'x::1',
    '',
    '01.2.3.4a',
  ])('refuses %p', text => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('cidrContains', () => {
  const contains = (cidr: string, ip: string) =>
    cidrContains(parseCidr(cidr)!, parseIp(ip)!);

  it('matches IPv4 and IPv6 ranges at their boundaries', () => {
    expect(contains('203.0.113.0/24', '203.0.113.0')).toBe(true);
    expect(contains('203.0.113.0/24', '203.0.113.255')).toBe(true);
    expect(contains('203.0.113.0/24', '203.0.114.0')).toBe(false);
    expect(contains('0.0.0.0/0', '8.8.8.8')).toBe(true);
    expect(contains('2001:db8:10::/48', '2001:db8:10:ffff::1')).toBe(true);
    expect(contains('2001:db8:10::/48', '2001:db8:11::1')).toBe(false);
    expect(contains('198.51.100.7', '198.51.100.7')).toBe(true);
  });

  it('never matches across families, but reads IPv4-mapped IPv6 as IPv4', () => {
    expect(contains('0.0.0.0/0', '2001:db8::1')).toBe(false);
    expect(contains('::/0', '10.0.0.1')).toBe(false);
    expect(contains('192.0.2.0/24', '::ffff:192.0.2.9')).toBe(true);
  });

  it('refuses malformed ranges', () => {
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0.0/-1',
      '10.0.0.0/8/8',
      'any',
      '::/129',
    ])
      expect(parseCidr(bad)).toBeUndefined();
  });

  const ipv4 = fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    .map(p => p.join('.'));

  it('holds every address whose first prefix bits equal the range base (property)', () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const cidr = parseCidr(`${ip}/${prefix}`)!;
        // The range built from an address always contains that address.
        expect(cidrContains(cidr, parseIp(ip)!)).toBe(true);
        // And an address differing in a bit inside the prefix never is.
        const flipped =
          parseIp(ip)!.value ^ (1n << BigInt(32 - Math.max(prefix, 1)));
        expect(cidrContains(cidr, { family: 4, value: flipped })).toBe(
          prefix === 0,
        );
      }),
    );
  });

  it('agrees with a /128 or /32 being the address itself (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.ipV6(), (a, b) => {
        const pa = parseIp(a);
        const pb = parseIp(b);
        if (!pa || !pb) return;
        expect(cidrContains(parseCidr(`${a}/128`)!, pb)).toBe(
          pa.value === pb.value && pb.family === 6,
        );
      }),
    );
  });

  it('parses every address fast-check generates (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), ip => expect(parseIp(ip)?.family).toBe(4)),
    );
    fc.assert(
      fc.property(fc.ipV6(), ip => expect(parseIp(ip)?.family).toBe(6)),
    );
  });
});

describe('isPrivateAddress', () => {
  it('knows RFC 1918, CGNAT and ULA ranges', () => {
    expect(
      [
        '10.17.0.200',
        '172.20.1.1',
        '192.168.1.1',
        '100.64.0.1',
        'fd00::1',
      ].every(isPrivateAddress),
    ).toBe(true);
    expect(
      ['47.100.21.10', '8.8.8.8', '2001:4860::1'].some(isPrivateAddress),
    ).toBe(false);
  });
});
