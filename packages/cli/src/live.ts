/*
 * Live mode: the same objects the portal reads, from a cluster named by a
 * kubeconfig (its context, its credentials: tokens, client certificates,
 * exec plugins), instead of from dump files.
 */
import { Agent } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterRead,
  clusterWideReads,
  loadObjects,
  LoadResult,
  namespaceReads,
  snapshotReads,
  uniqueObjects,
} from '@internal/plugin-traffic-path-common';
import {
  apiServerOfKubeConfig,
  applyReadPolicy,
  DEFAULT_READ_LIMITS,
  httpsPages,
  ReadError,
  ReadLimits,
  readList,
} from '@internal/plugin-traffic-path-node';

/** The cluster cannot be read as asked: exit code 2, like unusable files. */
export class LiveInputError extends Error {}

export type LiveOptions = {
  kubeconfig: string;
  context?: string;
  namespace?: string;
  /** How long each page may take to answer. */
  timeoutMs?: number;
  /** Pages and bounds of the list reads (kubectl's 500 a page, 64 MiB a list). */
  limits?: ReadLimits;
};

export type LiveResult = {
  load: LoadResult;
  warnings: string[];
  cluster: string;
};

function loadKubeConfig(options: LiveOptions): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(options.kubeconfig);
  } catch (e) {
    throw new LiveInputError(
      `cannot read kubeconfig ${options.kubeconfig}: ${(e as Error).message}`,
    );
  }
  if (options.context) {
    const names = kc.getContexts().map(c => c.name);
    if (!names.includes(options.context)) {
      throw new LiveInputError(
        `context "${options.context}" is not in ${
          options.kubeconfig
        } (it has: ${names.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster())
    throw new LiveInputError(
      `${options.kubeconfig} has no current context with a cluster: pass --context`,
    );
  return kc;
}

/** What to read: everything, or one namespace plus what lives cluster-wide (controllers, nodes). */
function readsFor(namespace: string | undefined): ClusterRead[] {
  if (namespace)
    return [
      ...clusterWideReads(),
      ...namespaceReads(namespace, { secrets: true }),
    ];
  return [
    ...snapshotReads({ secrets: true }),
    { path: '/api/v1/pods', kind: 'Pod', listed: 'Pod' },
  ];
}

/**
 * Reads the cluster of the kubeconfig's current (or given) context with the
 * shared reader: every list in full, page by page, within the bounds; the
 * shared read policy decides what a failed read means (a required one is a
 * LiveInputError, others are warnings).
 */
export async function readLiveCluster(
  options: LiveOptions,
): Promise<LiveResult> {
  const kc = loadKubeConfig(options);
  const cluster = kc.getCurrentCluster()!;
  const name = `${cluster.name} (${cluster.server})`;
  const reads = readsFor(options.namespace);
  // The reads share kept-alive connections; the agent goes when they are done.
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  try {
    const pages = httpsPages(
      apiServerOfKubeConfig(kc, agent),
      options.timeoutMs ?? 30_000,
    );
    const limits = options.limits ?? DEFAULT_READ_LIMITS;
    const outcomes = await Promise.all(
      reads.map(read => readList(read, pages, limits)),
    );
    let batch;
    try {
      batch = applyReadPolicy(reads, outcomes);
    } catch (e) {
      if (e instanceof ReadError)
        throw new LiveInputError(`cluster ${name}: ${e.message}`);
      throw e;
    }
    const load = loadObjects(
      uniqueObjects(batch.objects),
      `cluster ${cluster.name}`,
    );
    batch.listedKinds.forEach(kind => load.listedKinds.add(kind));
    return {
      load,
      warnings: batch.warnings.map(
        e => `cluster ${name}: ${e.message} (checks that need it are skipped)`,
      ),
      cluster: cluster.name,
    };
  } finally {
    agent.destroy();
  }
}
