/*
 * The plugin's configuration (see config.d.ts and docs/configuration.md),
 * read once at start-up with clear errors for bad values.
 */
import { Config } from '@backstage/config';
import { ReadLimits, readLimitsOf } from '@internal/plugin-traffic-path-node';
import { ServiceLocatorMethod } from './service/entitySelection';

export type TrafficPathSettings = {
  serviceLocatorMethod: ServiceLocatorMethod;
  clusterTimeoutMs: number;
  cacheTtlMs: number;
  secrets: boolean;
  /** Pages and bounds of list reads (`trafficPath.reads`). */
  reads: ReadLimits;
  dns?: {
    timeoutMs: number;
    concurrency: number;
    servers?: string[];
    cacheTtlMs: number;
  };
};

function seconds(
  config: Config,
  key: string,
  fallback: number,
  min: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < min)
    throw new Error(
      `Invalid config: ${key} must be a number of seconds >= ${min}, got ${value}`,
    );
  return value * 1000;
}

export function readTrafficPathConfig(config: Config): TrafficPathSettings {
  const dnsEnabled =
    config.getOptionalBoolean('trafficPath.dns.enabled') ?? false;
  const concurrency =
    config.getOptionalNumber('trafficPath.dns.concurrency') ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(
      `Invalid config: trafficPath.dns.concurrency must be a positive integer, got ${concurrency}`,
    );
  return {
    // The Kubernetes backend's own setting: entities land on the same clusters.
    serviceLocatorMethod:
      config.getOptionalString('kubernetes.serviceLocatorMethod.type') ??
      'multiTenant',
    clusterTimeoutMs: seconds(
      config,
      'trafficPath.clusterTimeoutSeconds',
      10,
      0.001,
    ),
    cacheTtlMs: seconds(config, 'trafficPath.cache.ttlSeconds', 30, 0),
    secrets: config.getOptionalBoolean('trafficPath.secrets.enabled') ?? false,
    reads: readLimitsOf(config),
    dns: dnsEnabled
      ? {
          timeoutMs: seconds(
            config,
            'trafficPath.dns.timeoutSeconds',
            2,
            0.001,
          ),
          concurrency,
          servers: config.getOptionalStringArray('trafficPath.dns.servers'),
          cacheTtlMs: seconds(config, 'trafficPath.dns.cacheTtlSeconds', 60, 0),
        }
      : undefined,
  };
}
