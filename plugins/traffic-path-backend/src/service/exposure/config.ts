/*
 * The ownership review's settings (`trafficPath.exposure`, see config.d.ts
 * and docs/configuration.md), read once at start-up with clear errors.
 */
import { Config } from '@backstage/config';

export type ExposureSettings = {
  scan: {
    enabled: boolean;
    intervalMinutes: number;
    initialDelaySeconds: number;
    timeoutMinutes: number;
    concurrencyPerCluster: number;
    /** With the live model: scan again when a watched cluster changes. */
    onChange: {
      enabled: boolean;
      delaySeconds: number;
      minIntervalMinutes: number;
    };
  };
  retention: { days: number };
};

function number(
  config: Config,
  key: string,
  fallback: number,
  check: (n: number) => boolean,
  what: string,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || !check(value))
    throw new Error(`Invalid config: ${key} must be ${what}, got ${value}`);
  return value;
}

export function readExposureConfig(config: Config): ExposureSettings {
  const base = 'trafficPath.exposure';
  return {
    scan: {
      enabled: config.getOptionalBoolean(`${base}.scan.enabled`) ?? true,
      intervalMinutes: number(
        config,
        `${base}.scan.intervalMinutes`,
        60,
        n => n > 0,
        'a number of minutes > 0',
      ),
      initialDelaySeconds: number(
        config,
        `${base}.scan.initialDelaySeconds`,
        30,
        n => n >= 0,
        'a number of seconds >= 0',
      ),
      timeoutMinutes: number(
        config,
        `${base}.scan.timeoutMinutes`,
        30,
        n => n > 0,
        'a number of minutes > 0',
      ),
      concurrencyPerCluster: number(
        config,
        `${base}.scan.concurrencyPerCluster`,
        8,
        n => Number.isInteger(n) && n >= 1,
        'a positive integer',
      ),
      onChange: {
        enabled:
          config.getOptionalBoolean(`${base}.scan.onChange.enabled`) ?? true,
        delaySeconds: number(
          config,
          `${base}.scan.onChange.delaySeconds`,
          10,
          n => n >= 0,
          'a number of seconds >= 0',
        ),
        minIntervalMinutes: number(
          config,
          `${base}.scan.onChange.minIntervalMinutes`,
          5,
          n => n >= 0,
          'a number of minutes >= 0',
        ),
      },
    },
    retention: {
      days: number(
        config,
        `${base}.retention.days`,
        90,
        n => n > 0,
        'a number of days > 0',
      ),
    },
  };
}
