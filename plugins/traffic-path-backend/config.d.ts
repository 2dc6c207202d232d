export interface Config {
  /** Configuration of the Traffic Path backend plugin. See docs/configuration.md. */
  trafficPath?: {
    /**
     * How long one cluster may take to answer all the reads of a request, in
     * seconds; a slower cluster gives an error entry and the others still answer.
     * @default 10
     */
    clusterTimeoutSeconds?: number;
    cache?: {
      /**
       * How long objects read from a cluster are reused, in seconds. 0 turns
       * the cache off (concurrent requests are still coalesced). The cache is
       * `coreServices.cache`: in memory, or shared (Redis, Valkey) when
       * `backend.cache` says so.
       * @default 30
       */
      ttlSeconds?: number;
    };
    reads?: {
      /**
       * Items per page of a list read (`limit` / `continue`), as kubectl pages;
       * 0 asks for whole lists. The Traffic Path module of the Kubernetes
       * backend reads this key too.
       * @default 500
       */
      pageSize?: number;
      /**
       * The most one list read (all its pages) may hold, in megabytes
       * (MiB); a larger list fails with an error that names it, and the
       * checks that need it are skipped (Services: the cluster's error).
       * @default 64
       */
      maxMegabytes?: number;
    };
    secrets?: {
      /**
       * Read the names of Secrets to check that TLS Secrets exist. Only
       * metadata is requested and only names are kept; Secret data is never
       * read or returned.
       * @default false
       */
      enabled?: boolean;
    };
    dns?: {
      /**
       * Resolve each route's host (A, AAAA, CNAME) and report hosts that do
       * not resolve (DNS_UNRESOLVED) or do not lead to their entry point
       * (DNS_MISMATCH). Only DNS queries leave the backend.
       * @default false
       */
      enabled?: boolean;
      /**
       * Timeout of one DNS query, in seconds.
       * @default 2
       */
      timeoutSeconds?: number;
      /**
       * Names resolved at the same time, at most.
       * @default 8
       */
      concurrency?: number;
      /**
       * Resolvers to ask (`ip` or `ip:port`) instead of the system's.
       */
      servers?: string[];
      /**
       * How long answers are reused, in seconds.
       * @default 60
       */
      cacheTtlSeconds?: number;
    };
  };
}
