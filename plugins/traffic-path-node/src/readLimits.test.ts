import { ConfigReader } from '@backstage/config';
import { DEFAULT_READ_LIMITS, readLimitsOf } from './readLimits';

const config = (reads?: object) =>
  new ConfigReader(reads ? { trafficPath: { reads } } : {});

describe('readLimitsOf', () => {
  it("defaults to kubectl's page size and 64 MiB a list", () => {
    expect(readLimitsOf(config())).toEqual(DEFAULT_READ_LIMITS);
    expect(DEFAULT_READ_LIMITS).toEqual({
      pageSize: 500,
      maxBytes: 64 * 1024 * 1024,
    });
  });

  it('reads both keys', () => {
    expect(readLimitsOf(config({ pageSize: 0, maxMegabytes: 0.5 }))).toEqual({
      pageSize: 0,
      maxBytes: 512 * 1024,
    });
  });

  it.each([
    [
      { pageSize: -1 },
      'trafficPath.reads.pageSize must be a whole number >= 0, got -1',
    ],
    [
      { pageSize: 2.5 },
      'trafficPath.reads.pageSize must be a whole number >= 0, got 2.5',
    ],
    [
      { maxMegabytes: 0 },
      'trafficPath.reads.maxMegabytes must be a number > 0, got 0',
    ],
  ])('refuses %j', (reads, message) => {
    expect(() => readLimitsOf(config(reads))).toThrow(
      `Invalid config: ${message}`,
    );
  });
});
