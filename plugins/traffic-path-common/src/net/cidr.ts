/*
 * IPv4 and IPv6 addresses and CIDR ranges, for evaluating source
 * restrictions. Addresses are held as bigint so both families share code.
 */

export type IpAddress = { family: 4 | 6; value: bigint };
export type Cidr = { family: 4 | 6; base: bigint; prefix: number };

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded IPv4 address in the last 32 bits (::ffff:1.2.3.4).
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tailV4 = parseIPv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = toGroups(halves[0]);
  const right = halves.length === 2 ? toGroups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [
    ...left,
    ...Array(halves.length === 2 ? missing : 0).fill('0'),
    ...right,
  ];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const zoneless = t.split('%')[0];
    const v = parseIPv6(zoneless);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseIPv4(t);
  return v === undefined ? undefined : { family: 4, value: v };
}

/** Parses `a.b.c.d/n`, `x::/n`, or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  }
  const mask = maskFor(ip.family, prefix);
  return { family: ip.family, base: ip.value & mask, prefix };
}

function maskFor(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(family === 4 ? 32 : 128);
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** True when the range holds the address. Families never match each other. */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) {
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address.
    const mapped = toMappedV4(ip);
    if (!mapped || cidr.family !== 4) return false;
    return (mapped.value & maskFor(4, cidr.prefix)) === cidr.base;
  }
  return (ip.value & maskFor(cidr.family, cidr.prefix)) === cidr.base;
}

function toMappedV4(ip: IpAddress): IpAddress | undefined {
  if (ip.family !== 6) return undefined;
  if (ip.value >> 32n !== 0xffffn) return undefined;
  return { family: 4, value: ip.value & 0xffffffffn };
}

/** Splits a comma-separated annotation value into trimmed, non-empty items. */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

/** True for addresses that are not reachable from the internet. */
export function isPrivateAddress(text: string): boolean {
  const ip = parseIp(text);
  if (!ip) return false;
  const privateRanges = [
    '10.0.0.0/8',
    '172.16.0.0/12',
    '192.168.0.0/16',
    '100.64.0.0/10',
    '127.0.0.0/8',
    '169.254.0.0/16',
    'fc00::/7',
    'fe80::/10',
    '::1/128',
  ].map(c => parseCidr(c)!);
  return privateRanges.some(c => cidrContains(c, ip));
}
