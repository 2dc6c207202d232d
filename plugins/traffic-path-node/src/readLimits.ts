/*
 * The limits of one list read, from `trafficPath.reads` (the backend and
 * the Kubernetes module read the same keys; the CLI uses the defaults).
 */

export type ReadLimits = {
  /** Items per page (`limit`); 0 asks for whole lists. */
  pageSize: number;
  /** Bytes one read (all its pages) may hold. */
  maxBytes: number;
};

/** 500 items a page, as kubectl asks; 64 MiB a read (some 20 000 pods). */
export const DEFAULT_READ_LIMITS: ReadLimits = {
  pageSize: 500,
  maxBytes: 64 * 1024 * 1024,
};

/** The minimum of the Config interface this needs, so that callers need not share a Config type. */
type ConfigLike = {
  getOptionalNumber(key: string): number | undefined;
};

/** Reads `trafficPath.reads.pageSize` and `trafficPath.reads.maxMegabytes`, with clear errors. */
export function readLimitsOf(config: ConfigLike): ReadLimits {
  const pageSize =
    config.getOptionalNumber('trafficPath.reads.pageSize') ??
    DEFAULT_READ_LIMITS.pageSize;
  if (!Number.isInteger(pageSize) || pageSize < 0)
    throw new Error(
      `Invalid config: trafficPath.reads.pageSize must be a whole number >= 0, got ${pageSize}`,
    );
  const megabytes =
    config.getOptionalNumber('trafficPath.reads.maxMegabytes') ??
    DEFAULT_READ_LIMITS.maxBytes / (1024 * 1024);
  if (!Number.isFinite(megabytes) || megabytes <= 0)
    throw new Error(
      `Invalid config: trafficPath.reads.maxMegabytes must be a number > 0, got ${megabytes}`,
    );
  return { pageSize, maxBytes: Math.round(megabytes * 1024 * 1024) };
}
