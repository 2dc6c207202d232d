import { startOfDay, timeAgo } from './time';

describe('timeAgo', () => {
  const now = Date.parse('2026-12-01T20:00:00.000Z');
  it('says how long ago, in the largest unit that fits', () => {
    expect(timeAgo('2026-12-01T19:55:00.000Z', now)).toBe('5 minutes ago');
    expect(timeAgo('2026-12-01T18:00:00.000Z', now)).toBe('2 hours ago');
    expect(timeAgo('2026-11-30T08:00:00.000Z', now)).toBe('yesterday');
    expect(timeAgo('2026-12-01T19:59:50.000Z', now)).toBe('just now');
  });
  it('says unknown for a time that does not parse', () => {
    expect(timeAgo('last tuesday', now)).toBe('unknown');
    expect(timeAgo(undefined, now)).toBe('unknown');
  });
});

describe('startOfDay', () => {
  it('is local midnight of a picked day, and nothing for a bad one', () => {
    expect(startOfDay('2026-11-01')).toBe(new Date(2026, 10, 1).toISOString());
    expect(startOfDay('')).toBeUndefined();
    expect(startOfDay('2026-13-45x')).toBeUndefined();
  });
});
