import { ConfigReader } from '@backstage/config';
import { readExposureConfig } from './config';

const read = (exposure: object) =>
  readExposureConfig(new ConfigReader({ trafficPath: { exposure } }));

describe('readExposureConfig', () => {
  it('has defaults', () => {
    expect(readExposureConfig(new ConfigReader({}))).toEqual({
      scan: {
        enabled: true,
        intervalMinutes: 60,
        initialDelaySeconds: 30,
        timeoutMinutes: 30,
        concurrencyPerCluster: 8,
        onChange: { enabled: true, delaySeconds: 10, minIntervalMinutes: 5 },
      },
      retention: { days: 90 },
    });
  });

  it.each([
    [
      { scan: { intervalMinutes: 0 } },
      'trafficPath.exposure.scan.intervalMinutes',
    ],
    [
      { scan: { concurrencyPerCluster: 2.5 } },
      'trafficPath.exposure.scan.concurrencyPerCluster',
    ],
    [
      { scan: { initialDelaySeconds: -1 } },
      'trafficPath.exposure.scan.initialDelaySeconds',
    ],
    [{ retention: { days: 0 } }, 'trafficPath.exposure.retention.days'],
  ])('refuses %j naming %s', (exposure, key) => {
    expect(() => read(exposure)).toThrow(key);
  });
});
