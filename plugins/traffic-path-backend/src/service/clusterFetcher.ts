/*
 * What the engine needs from one cluster, read through the Kubernetes
 * backend's proxy in at most two rounds of parallel LIST calls.
 *
 * Round 1 reads, at once: the cluster snapshot, which does not depend on
 * the entity and is shared by every entity of the cluster (Services,
 * Ingresses, EndpointSlices, IngressClasses, Nodes, kube-system
 * ConfigMaps, the ingress controllers' pods and ConfigMaps, Secret names
 * when enabled), and the entity's pods by its label selector, as the
 * Kubernetes plugin reads them. Round 2 happens only when one of the
 * entity's Services has no EndpointSlice: its namespace's pods are read so
 * that endpoints can be derived from the selector.
 *
 * The number of calls grows with the kinds (and, in round 2, with the
 * entity's namespaces), never with the number of objects.
 */
import {
  ClusterRead,
  KubeObject,
  namespaceReads,
  podsBySelector,
  snapshotReads,
} from '@internal/plugin-traffic-path-common';
import { EntitySelection } from './entitySelection';
import { CallOptions, KubernetesGateway } from './kubernetesGateway';

export type { CallOptions };

/** A set of objects and what they cover, JSON-serialisable for a shared cache. */
export type ObjectBatch = {
  objects: KubeObject[];
  /** Kinds listed in full (cluster-wide, or `Kind@namespace`). */
  listedKinds: string[];
  /** Calls that failed without making the answer useless (e.g. Nodes forbidden). */
  warnings: string[];
  /** API calls made to produce this batch. */
  calls: number;
  /** When it was read: identifies this version of the batch. */
  fetchedAt: number;
};

/** Runs calls in parallel; an optional call that fails becomes a warning. */
async function runCalls(
  gateway: KubernetesGateway,
  cluster: string,
  calls: ClusterRead[],
  options: CallOptions,
): Promise<ObjectBatch> {
  const outcomes = await gateway.readMany(cluster, calls, options);
  const warnings: string[] = [];
  const objects: KubeObject[] = [];
  const listedKinds: string[] = [];
  outcomes.forEach((result, i) => {
    const call = calls[i];
    if ('error' in result) {
      // A CRD the cluster does not have: there are none of its objects.
      if (call.absentOk && result.error.status === 404) return;
      if (call.required) throw result.error;
      warnings.push(result.error.message);
      return;
    }
    objects.push(...result.objects);
    if (call.listed) listedKinds.push(call.listed);
  });
  return {
    objects,
    listedKinds,
    warnings,
    calls: calls.length,
    fetchedAt: Date.now(),
  };
}

export function fetchSnapshot(
  gateway: KubernetesGateway,
  cluster: string,
  secrets: boolean,
  options: CallOptions,
): Promise<ObjectBatch> {
  return runCalls(gateway, cluster, snapshotReads({ secrets }), options);
}

/** The entity's pods, by its label selector (in its namespace when annotated). */
export function fetchEntityPods(
  gateway: KubernetesGateway,
  cluster: string,
  selection: EntitySelection,
  options: CallOptions,
): Promise<ObjectBatch> {
  return runCalls(
    gateway,
    cluster,
    [podsBySelector(selection.selector, selection.namespace)],
    options,
  );
}

/** Round 2: every pod of the given namespaces, listed in full. */
export function fetchNamespacePods(
  gateway: KubernetesGateway,
  cluster: string,
  namespaces: string[],
  options: CallOptions,
): Promise<ObjectBatch> {
  const pods = namespaces.map(
    ns => namespaceReads(ns, { secrets: false }).find(r => r.kind === 'Pod')!,
  );
  return runCalls(gateway, cluster, pods, options);
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
