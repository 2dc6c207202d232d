/*
 * A Kubernetes backend client for the scan that has at most `n` list reads
 * in flight to each cluster, so that a scan of every entity does not flood
 * a cluster's API server. A read's pages follow one another, so each read
 * is one request to the cluster at a time; a batch of reads is sent as
 * single reads through the cluster's limit (more requests to the module,
 * none more to the cluster).
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
    async readMany(cluster, reads, options) {
      const limit = limitOf(cluster);
      const outcomes = await Promise.all(
        reads.map(read =>
          limit(() => client.readMany(cluster, [read], options)),
        ),
      );
      return outcomes.map(o => o[0]);
    },
  };
}
