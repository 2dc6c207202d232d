/*
 * `trafficPath.watch.*` (config.d.ts, docs/configuration.md): whether the
 * backend keeps a live model of each cluster it can watch, and its bounds.
 * Read once at start-up; a bad value is an error naming the key.
 */
import { Config } from '@backstage/config';

export type WatchSettings = {
  enabled: boolean;
  /** Changes closer together than this are resolved as one batch. */
  debounceMs: number;
  /** Objects one cluster's model may keep; beyond it the cluster is read per request. */
  maxObjectsPerCluster: number;
  backoff: { initialMs: number; maxMs: number };
  /** Each watch is asked to end after this long (then opened again from its version). */
  watchTimeoutSeconds: number;
  /** A watch silent this long (no event, no bookmark) is cut and opened again. */
  idleMs: number;
  /** How often a kind the cluster lacks (a CRD's 404) is asked again. */
  absentRecheckMs: number;
  /** An entity asked for within this long gets a signal when its routes change. */
  signalEntitiesForMs: number;
  /** Items per page of the model's lists: one list a start, so fewer, larger pages. */
  listPageSize: number;
};

function number(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = config.getOptionalNumber(`trafficPath.watch.${key}`);
  const n = value ?? fallback;
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(
      `Invalid config: trafficPath.watch.${key} must be a number from ${min} to ${max}, got ${n}`,
    );
  return n;
}

export function readWatchSettings(config: Config): WatchSettings {
  const maxObjects = number(config, 'maxObjectsPerCluster', 250_000, 1);
  if (!Number.isInteger(maxObjects))
    throw new Error(
      `Invalid config: trafficPath.watch.maxObjectsPerCluster must be a whole number, got ${maxObjects}`,
    );
  const initial = number(config, 'backoff.initialSeconds', 1, 0.01);
  const max = number(config, 'backoff.maxSeconds', 60, initial);
  return {
    // On by default: a cluster the backend can watch is answered from its model; the others
    // (client-side auth, no module, over the cap) are read per request as before.
    enabled: config.getOptionalBoolean('trafficPath.watch.enabled') ?? true,
    debounceMs: number(config, 'debounceMilliseconds', 200, 0, 60_000),
    maxObjectsPerCluster: maxObjects,
    backoff: { initialMs: initial * 1000, maxMs: max * 1000 },
    watchTimeoutSeconds: number(config, 'watchTimeoutSeconds', 600, 1, 3600),
    idleMs: number(config, 'idleSeconds', 120, 1) * 1000,
    absentRecheckMs: number(config, 'absentRecheckMinutes', 10, 0.01) * 60_000,
    signalEntitiesForMs:
      number(config, 'signalEntitiesForMinutes', 30, 0) * 60_000,
    listPageSize: Math.round(number(config, 'listPageSize', 5000, 1, 10_000)),
  };
}
