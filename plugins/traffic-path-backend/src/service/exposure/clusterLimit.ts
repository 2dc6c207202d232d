/*
 * A Kubernetes backend client that sends at most `n` requests to each
 * cluster at a time, so that a scan of every entity does not flood a
 * cluster's API server. With the Traffic Path module each readMany is one
 * request; through the proxy it is one request per list, so the bound is
 * on rounds of reads there.
 */
import pLimit from 'p-limit';
import { KubernetesBackendClient } from '../kubernetesBackendClient';

export function limitPerCluster(
  client: KubernetesBackendClient,
  n: number,
): KubernetesBackendClient {
  const limits = new Map<string, ReturnType<typeof pLimit>>();
  const limitOf = (cluster: string) => {
    let limit = limits.get(cluster);
    if (!limit) {
      limit = pLimit(n);
      limits.set(cluster, limit);
    }
    return limit;
  };
  return {
    clusters: credentials => client.clusters(credentials),
    readMany: (cluster, reads, options) =>
      limitOf(cluster)(() => client.readMany(cluster, reads, options)),
  };
}
