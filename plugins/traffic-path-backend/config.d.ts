export interface Config {
  /** Configuration of the Traffic Path backend plugin. See docs/configuration.md. */
  trafficPath?: {
    /**
     * How long one cluster may take to answer all of its requests, in seconds;
     * a slower cluster gives an error entry and the others still answer.
     * @default 10
     */
    clusterTimeoutSeconds?: number;
    cache?: {
      /**
       * How long the objects read from a cluster for an entity are reused, in
       * seconds. 0 turns the cache off. The cache is `coreServices.cache`:
       * in memory, or shared (Redis, Valkey) when `backend.cache` says so.
       * @default 30
       */
      ttlSeconds?: number;
    };
    secrets?: {
      /**
       * Read the names of Secrets in the entity's namespaces to check TLS
       * Secrets. Only metadata is requested; Secret data is never read.
       * @default false
       */
      enabled?: boolean;
    };
  };
}
