/*
 * Fetch: what the engine needs from one cluster, in at most two rounds of
 * parallel list reads through the Kubernetes backend.
 *
 * Round 1 reads, at once: the cluster snapshot, which does not depend on
 * the entity and is shared by every entity of the cluster (`snapshotReads`
 * in the engine package), and the entity's pods by its label selector, as
 * the Kubernetes plugin reads them. Round 2 happens only when one of the
 * entity's Services has no EndpointSlice: its namespace's pods are read so
 * that endpoints can be derived from the selector.
 *
 * The number of lists grows with the kinds (and, in round 2, with the
 * entity's namespaces), never with the number of objects; a long list
 * takes more pages. What a failed read means is the shared read policy.
 */
import {
  ClusterRead,
  KubeObject,
  namespaceReads,
  podsBySelector,
  snapshotReads,
} from '@internal/plugin-traffic-path-common';
import { applyReadPolicy } from '@internal/plugin-traffic-path-node';
import { readErrorMessage } from './clusterErrors';
import { EntitySelection } from './entitySelection';
import {
  KubernetesBackendClient,
  ReadOptions,
} from './kubernetesBackendClient';

/** A set of objects and what they cover, JSON-serialisable for a shared cache. */
export type ObjectBatch = {
  objects: KubeObject[];
  /** Kinds listed in full (cluster-wide, or `Kind@namespace`). */
  listedKinds: string[];
  /** Reads that failed without making the answer useless (e.g. Nodes forbidden). */
  warnings: string[];
  /** API calls (pages) made to produce this batch. */
  calls: number;
  /** When it was read: identifies this version of the batch. */
  fetchedAt: number;
};

export type ClusterFetcher = {
  /** The objects every entity of the cluster shares. */
  snapshot(cluster: string, options: ReadOptions): Promise<ObjectBatch>;
  /** The entity's pods, by its label selector (in its namespace when annotated). */
  entityPods(
    cluster: string,
    selection: EntitySelection,
    options: ReadOptions,
  ): Promise<ObjectBatch>;
  /** Round 2: every pod of the given namespaces, listed in full. */
  namespacePods(
    cluster: string,
    namespaces: string[],
    options: ReadOptions,
  ): Promise<ObjectBatch>;
};

export function createClusterFetcher(deps: {
  client: KubernetesBackendClient;
  /** Read Secret names (TLS checks). */
  secrets: boolean;
}): ClusterFetcher {
  /** Reads in parallel; the read policy decides what a failure means (a required one throws). */
  async function read(
    cluster: string,
    reads: ClusterRead[],
    options: ReadOptions,
  ): Promise<ObjectBatch> {
    const outcomes = await deps.client.readMany(cluster, reads, options);
    const batch = applyReadPolicy(reads, outcomes);
    return {
      objects: batch.objects,
      listedKinds: batch.listedKinds,
      warnings: batch.warnings.map(e => readErrorMessage(cluster, e)),
      calls: outcomes.reduce(
        (n, o) => n + ('objects' in o ? o.pages ?? 1 : 1),
        0,
      ),
      fetchedAt: Date.now(),
    };
  }

  return {
    snapshot: (cluster, options) =>
      read(cluster, snapshotReads({ secrets: deps.secrets }), options),
    entityPods: (cluster, selection, options) =>
      read(
        cluster,
        [podsBySelector(selection.selector, selection.namespace)],
        options,
      ),
    namespacePods: (cluster, namespaces, options) =>
      read(
        cluster,
        namespaces.map(
          ns =>
            namespaceReads(ns, { secrets: false }).find(r => r.kind === 'Pod')!,
        ),
        options,
      ),
  };
}

export function mergeBatches(...batches: ObjectBatch[]): ObjectBatch {
  return {
    objects: batches.flatMap(b => b.objects),
    listedKinds: [...new Set(batches.flatMap(b => b.listedKinds))],
    warnings: batches.flatMap(b => b.warnings),
    calls: batches.reduce((n, b) => n + b.calls, 0),
    fetchedAt: Math.max(...batches.map(b => b.fetchedAt)),
  };
}
