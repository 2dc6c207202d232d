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
    /**
     * The live model: each cluster the backend can watch with its
     * server-side credentials (through the Traffic Path module of the
     * Kubernetes backend) is listed once and then watched; answers are
     * lookups in memory. Other clusters are read per request.
     */
    watch?: {
      /**
       * Keep a live model of each watchable cluster.
       * @default true
       */
      enabled?: boolean;
      /**
       * Changes closer together than this are resolved as one batch.
       * @default 200
       */
      debounceMilliseconds?: number;
      /**
       * Objects one cluster's model may keep; beyond it the cluster is read
       * per request and its answers say so.
       * @default 250000
       */
      maxObjectsPerCluster?: number;
      backoff?: {
        /**
         * The first wait after a failed list or watch, in seconds (doubled
         * after each failure, with full jitter).
         * @default 1
         */
        initialSeconds?: number;
        /**
         * The longest wait, in seconds.
         * @default 60
         */
        maxSeconds?: number;
      };
      /**
       * Each watch asks the API server to end it after this long; it is
       * then opened again from its last version, without a list.
       * @default 600
       */
      watchTimeoutSeconds?: number;
      /**
       * A watch that says nothing for this long (no event, no bookmark) is
       * cut and opened again.
       * @default 120
       */
      idleSeconds?: number;
      /**
       * How often a kind the cluster lacks (a CRD's 404) or refuses (401,
       * 403) is asked again, in minutes.
       * @default 10
       */
      absentRecheckMinutes?: number;
      /**
       * An entity asked for within this long gets a signal when its routes
       * change (the card then fetches them again).
       * @default 30
       */
      signalEntitiesForMinutes?: number;
      /**
       * Items per page of the model's lists (1 to 10000): a cluster is listed
       * once, at start or after a 410, so fewer and larger pages than
       * `trafficPath.reads.pageSize`.
       * @default 5000
       */
      listPageSize?: number;
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
    /** The ownership review: stored exposure summaries and their change history. */
    exposure?: {
      scan?: {
        /**
         * Scan every catalog entity with Kubernetes annotations on a schedule
         * and store its exposure summary. Off: the exposure API answers what
         * is stored (nothing, on a new database).
         * @default true
         */
        enabled?: boolean;
        /**
         * Minutes between two scans. One backend at a time scans, however
         * many run (the scheduler's global scope).
         * @default 60
         */
        intervalMinutes?: number;
        /**
         * Seconds after start-up before the first scan.
         * @default 30
         */
        initialDelaySeconds?: number;
        /**
         * Minutes a scan may take before the scheduler gives it up.
         * @default 30
         */
        timeoutMinutes?: number;
        /**
         * Requests a scan sends to one cluster at a time, at most (and
         * entities resolved at once).
         * @default 8
         */
        concurrencyPerCluster?: number;
        /** With the live model (trafficPath.watch): scan again when a watched cluster changes. */
        onChange?: {
          /**
           * Trigger the scan when a watched cluster has a new snapshot.
           * @default true
           */
          enabled?: boolean;
          /**
           * Seconds after a snapshot before the scan starts (later snapshots join it).
           * @default 10
           */
          delaySeconds?: number;
          /**
           * No longer read: a change rewrites only the changed entities'
           * summaries and triggers no scan. Kept so older configs stay valid.
           */
          minIntervalMinutes?: number;
        };
      };
      retention?: {
        /**
         * Days the change history is kept; older changes are pruned after
         * each scan. Summaries are kept while their entity exists.
         * @default 90
         */
        days?: number;
      };
    };
  };
}
