/*
 * A watched cluster's objects, made once per batch of changes, and the
 * objects of one entity taken from them by lookup. The entity gets exactly
 * what a request-scoped read would have given it (the snapshot, the pods
 * its selector matches, and every pod of the namespaces whose Services
 * lack EndpointSlices), so both modes resolve the same answer. Pure.
 */
import {
  ClusterRead,
  controllerPodSelectors,
  KubeObject,
  labelSelector,
  snapshotReads,
  uniqueObjects,
} from '@internal/plugin-traffic-path-common';
import {
  ClusterVersion,
  readFailure,
} from '@internal/plugin-traffic-path-node';
import { readErrorMessage } from './clusterErrors';
import { ObjectBatch } from './clusterFetcher';
import { EntityScope } from './entityScope';
import { EntitySelection } from './entitySelection';
import { buildModelIndex, ModelIndex } from './modelIndex';

/** Every pod, once: the model answers any entity's selector from it. */
export const ALL_PODS: ClusterRead = {
  path: '/api/v1/pods',
  kind: 'Pod',
  listed: 'Pod',
};

/**
 * What the model watches: the request-scoped snapshot, with the reads of
 * controller pods by selector replaced by one read of every pod.
 */
export function modelReads(options: { secrets: boolean }): ClusterRead[] {
  return [...snapshotReads(options).filter(r => r.kind !== 'Pod'), ALL_PODS];
}

export type ModelSnapshot = {
  cluster: string;
  version: number;
  observedAt: number;
  /** Everything but pods, and the ingress controller pods. */
  base: KubeObject[];
  /** Kinds listed in full, but not pods (an entity gets only some). */
  baseListed: string[];
  podsByNamespace: Map<string, KubeObject[]>;
  /** Whether every pod is there (the pod read is synced). */
  podsListed: boolean;
  warnings: string[];
  /** A required read that is not synced: the model cannot answer. */
  missingRequired?: string;
  /** The objects grouped for picking an entity's (modelIndex). */
  index: ModelIndex;
};

const nsOf = (o: KubeObject) => o.metadata.namespace ?? 'default';
const isController = (() => {
  const selectors = controllerPodSelectors.map(s => labelSelector(s));
  return (pod: KubeObject) => selectors.some(s => s(pod));
})();

/**
 * The snapshot of a batch. Given the cluster's last snapshot, the groups of
 * objects that did not change are its arrays, so that unchanged entities
 * are seen to be unchanged (modelIndex).
 */
export function modelSnapshot(
  cluster: string,
  version: ClusterVersion,
  previous?: ModelSnapshot,
): ModelSnapshot {
  const base: KubeObject[] = [];
  const controllerPods: KubeObject[] = [];
  const podsByNamespace = new Map<string, KubeObject[]>();
  let podsListed = false;
  for (const { read, objects } of version.objectsByRead) {
    if (read.kind !== 'Pod') {
      for (const o of objects) base.push(o);
      continue;
    }
    podsListed = true;
    for (const pod of objects) {
      const ns = nsOf(pod);
      const list = podsByNamespace.get(ns);
      if (list) list.push(pod);
      else podsByNamespace.set(ns, [pod]);
      if (isController(pod)) {
        base.push(pod);
        controllerPods.push(pod);
      }
    }
  }
  const required = version.failures.find(
    f => readFailure(f.read, f.error) === 'fatal',
  );
  const unique = uniqueObjects(base);
  return {
    cluster,
    version: version.version,
    observedAt: version.observedAt,
    base: unique,
    baseListed: version.listedKinds.filter(k => k !== 'Pod'),
    podsByNamespace,
    podsListed,
    warnings: version.failures.map(f =>
      f.error
        ? readErrorMessage(cluster, f.error)
        : `cluster ${cluster}: ${f.read.path} is not listed yet`,
    ),
    ...(required ? { missingRequired: required.read.path } : {}),
    index: buildModelIndex(
      unique,
      podsByNamespace,
      controllerPods,
      previous?.index,
    ),
  };
}

/** The entity's pods by its selector, in its namespace when it names one. */
function entityPods(
  snapshot: ModelSnapshot,
  selection: EntitySelection,
): KubeObject[] {
  const selects = labelSelector(selection.selector);
  const namespaces = selection.namespace
    ? [snapshot.podsByNamespace.get(selection.namespace) ?? []]
    : [...snapshot.podsByNamespace.values()];
  return namespaces.flatMap(pods => pods.filter(selects));
}

/** The objects an entity's answer is resolved from, as a request-scoped read would give them. */
export function entityBatch(
  snapshot: ModelSnapshot,
  selection: EntitySelection,
  scope: EntityScope,
): ObjectBatch {
  const namespacePods = scope.podNamespacesNeeded.flatMap(
    ns => snapshot.podsByNamespace.get(ns) ?? [],
  );
  return {
    objects: [
      ...snapshot.base,
      ...entityPods(snapshot, selection),
      ...namespacePods,
    ],
    listedKinds: [
      ...snapshot.baseListed,
      ...(snapshot.podsListed
        ? scope.podNamespacesNeeded.map(ns => `Pod@${ns}`)
        : []),
    ],
    warnings: snapshot.warnings,
    calls: 0,
    fetchedAt: snapshot.observedAt,
  };
}
