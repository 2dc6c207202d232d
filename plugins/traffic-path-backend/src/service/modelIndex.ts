/*
 * A snapshot's objects grouped the way an entity takes them (by namespace,
 * by Service, the kinds every entity gets), so that an entity's objects are
 * picked in time proportional to them, not to the cluster. Groups that did
 * not change since the last snapshot are the same arrays, so an entity
 * whose objects did not change is seen to be unchanged by comparing
 * references, and its report is kept. The objects picked are exactly
 * objectsForEntity(entityBatch(…)), in the same order (tested). Pure.
 */
import {
  KubeObject,
  labelSelector,
} from '@internal/plugin-traffic-path-common';
import {
  EntityScope,
  GATEWAY_API_ROUTES,
  routeTargetNamespaces,
} from './entityScope';
import { EntitySelection } from './entitySelection';
import type { ModelSnapshot } from './modelSnapshot';

const nsOf = (o: KubeObject) => o.metadata.namespace ?? 'default';
const sliceService = (o: KubeObject) =>
  o.metadata.labels?.['kubernetes.io/service-name'];

export type ModelIndex = {
  /** Objects every entity gets (cluster-wide kinds, policies, controller pods…), in base order. */
  always: KubeObject[];
  services: KubeObject[];
  servicesByNamespace: Map<string, KubeObject[]>;
  /** LoadBalancer and NodePort Services: kept for every entity. */
  exposedServices: KubeObject[];
  slicesByService: Map<string, KubeObject[]>;
  /** Ingresses and Secrets by namespace. */
  namespacedByNamespace: Map<string, KubeObject[]>;
  /** Gateway API routes by each namespace they send to. */
  routesByTarget: Map<string, KubeObject[]>;
  /** `namespace/service` of every EndpointSlice. */
  sliced: Set<string>;
  controllerPods: Set<KubeObject>;
  /** Where each base object stands in the snapshot's base. */
  position: Map<KubeObject, number>;
  podsByNamespace: Map<string, KubeObject[]>;
};

const sameArray = <T>(a: readonly T[] | undefined, b: readonly T[]) =>
  !!a && a.length === b.length && a.every((x, i) => x === b[i]);

/** Each group that holds the same objects as the last index's is that index's very array. */
function reuse(
  groups: Map<string, KubeObject[]>,
  previous: Map<string, KubeObject[]> | undefined,
) {
  if (!previous) return groups;
  for (const [key, list] of groups) {
    const before = previous.get(key);
    if (before && sameArray(before, list)) groups.set(key, before);
  }
  return groups;
}

const push = (map: Map<string, KubeObject[]>, key: string, o: KubeObject) => {
  const list = map.get(key);
  if (list) list.push(o);
  else map.set(key, [o]);
};

export function buildModelIndex(
  base: KubeObject[],
  podsByNamespace: Map<string, KubeObject[]>,
  controllerPods: KubeObject[],
  previous?: ModelIndex,
): ModelIndex {
  let always: KubeObject[] = [];
  let services: KubeObject[] = [];
  let exposedServices: KubeObject[] = [];
  const servicesByNamespace = new Map<string, KubeObject[]>();
  const slicesByService = new Map<string, KubeObject[]>();
  const namespacedByNamespace = new Map<string, KubeObject[]>();
  const routesByTarget = new Map<string, KubeObject[]>();
  const sliced = new Set<string>();
  const position = new Map<KubeObject, number>();
  base.forEach((o, i) => {
    position.set(o, i);
    switch (o.kind) {
      case 'Service': {
        services.push(o);
        push(servicesByNamespace, nsOf(o), o);
        const type = (o.spec as { type?: string } | undefined)?.type;
        if (type === 'LoadBalancer' || type === 'NodePort')
          exposedServices.push(o);
        return;
      }
      case 'EndpointSlice':
        sliced.add(`${nsOf(o)}/${sliceService(o)}`);
        push(slicesByService, `${nsOf(o)}/${sliceService(o)}`, o);
        return;
      case 'Ingress':
      case 'Secret':
        push(namespacedByNamespace, nsOf(o), o);
        return;
      default:
        if (GATEWAY_API_ROUTES.has(o.kind)) {
          for (const ns of new Set(routeTargetNamespaces(o)))
            push(routesByTarget, ns, o);
          return;
        }
        always.push(o);
    }
  });
  if (previous) {
    if (sameArray(previous.always, always)) always = previous.always;
    if (sameArray(previous.services, services)) services = previous.services;
    if (sameArray(previous.exposedServices, exposedServices))
      exposedServices = previous.exposedServices;
  }
  return {
    always,
    services,
    servicesByNamespace: reuse(
      servicesByNamespace,
      previous?.servicesByNamespace,
    ),
    exposedServices,
    slicesByService: reuse(slicesByService, previous?.slicesByService),
    namespacedByNamespace: reuse(
      namespacedByNamespace,
      previous?.namespacedByNamespace,
    ),
    routesByTarget: reuse(routesByTarget, previous?.routesByTarget),
    sliced,
    controllerPods: new Set(controllerPods),
    position,
    podsByNamespace: reuse(podsByNamespace, previous?.podsByNamespace),
  };
}

/** An entity's objects from a snapshot, split so that unchanged parts compare by reference. */
export type EntityInputs = {
  scope: EntityScope;
  /** The snapshot's objects every entity gets (the same array while they do not change). */
  always: KubeObject[];
  /** The rest of its objects, in the order objectsForEntity gives them after `always`'s. */
  own: KubeObject[];
  listedKinds: string[];
  warnings: string[];
};

/** Matches per (group of objects, selector), kept while the group is the same array. */
const matchCache = new WeakMap<KubeObject[], Map<string, KubeObject[]>>();

function matching(
  list: KubeObject[],
  key: string,
  test: (o: KubeObject) => boolean,
): KubeObject[] {
  let byKey = matchCache.get(list);
  if (!byKey) matchCache.set(list, (byKey = new Map()));
  let found = byKey.get(key);
  if (!found) byKey.set(key, (found = list.filter(test)));
  return found;
}

const selectionKey = (s: EntitySelection) =>
  `${s.namespace ?? '*'}|${s.selector}`;

/**
 * The entity's scope and objects, as entityScope(snapshot.base, …) and
 * objectsForEntity(entityBatch(…).objects, scope) give them.
 */
export function entityInputs(
  snapshot: ModelSnapshot,
  index: ModelIndex,
  selection: EntitySelection,
): EntityInputs {
  const key = selectionKey(selection);
  const services = matching(
    selection.namespace
      ? index.servicesByNamespace.get(selection.namespace) ?? []
      : index.services,
    `owns|${key}`,
    s => selection.ownsService(s),
  );
  const needed = services.filter(s => {
    const spec = s.spec as
      | { selector?: Record<string, string>; type?: string }
      | undefined;
    return (
      spec?.type !== 'ExternalName' &&
      spec?.selector &&
      Object.keys(spec.selector).length > 0 &&
      !index.sliced.has(`${nsOf(s)}/${s.metadata.name}`)
    );
  });
  const scope: EntityScope = {
    entityServices: services.map(s => ({
      namespace: nsOf(s),
      name: s.metadata.name,
    })),
    podNamespacesNeeded: [...new Set(needed.map(nsOf))].sort(),
  };
  const namespaces = new Set(scope.entityServices.map(s => s.namespace));

  // The entity's pods by its selector, then every pod of the namespaces of round 2,
  // each once and not again when the base has it (a controller pod).
  const selects = labelSelector(selection.selector);
  const podGroups = selection.namespace
    ? [index.podsByNamespace.get(selection.namespace) ?? []]
    : [...index.podsByNamespace.values()];
  const pods: KubeObject[] = [];
  const seenPods = new Set<KubeObject>();
  const addPod = (p: KubeObject) => {
    if (index.controllerPods.has(p) || seenPods.has(p)) return;
    seenPods.add(p);
    pods.push(p);
  };
  for (const group of podGroups)
    matching(group, `pods|${selection.selector}`, selects).forEach(addPod);
  for (const ns of scope.podNamespacesNeeded)
    (index.podsByNamespace.get(ns) ?? []).forEach(addPod);

  // Services of the entity's namespaces, of namespaces with pods outside them
  // (controllers), and exposed ones anywhere; their slices; Ingresses, Secrets and
  // routes of its namespaces.
  const podNamespaces = new Set(
    [...index.controllerPods, ...pods]
      .map(nsOf)
      .filter(ns => !namespaces.has(ns)),
  );
  const kept = new Set<KubeObject>(index.exposedServices);
  for (const ns of [...namespaces, ...podNamespaces])
    (index.servicesByNamespace.get(ns) ?? []).forEach(s => kept.add(s));
  const fromBase = new Set<KubeObject>(kept);
  for (const s of kept)
    (index.slicesByService.get(`${nsOf(s)}/${s.metadata.name}`) ?? []).forEach(
      o => fromBase.add(o),
    );
  for (const ns of namespaces) {
    (index.namespacedByNamespace.get(ns) ?? []).forEach(o => fromBase.add(o));
    (index.routesByTarget.get(ns) ?? []).forEach(o => fromBase.add(o));
  }
  const own = [...fromBase].sort(
    (a, b) => index.position.get(a)! - index.position.get(b)!,
  );
  own.push(...pods);
  return {
    scope,
    always: index.always,
    own,
    listedKinds: [
      ...snapshot.baseListed,
      ...(snapshot.podsListed
        ? scope.podNamespacesNeeded.map(ns => `Pod@${ns}`)
        : []),
    ],
    warnings: snapshot.warnings,
  };
}

/** The objects in objectsForEntity's order: base objects by position, then the pods. */
export function inputObjects(
  inputs: EntityInputs,
  index: ModelIndex,
): KubeObject[] {
  const out: KubeObject[] = [];
  const { always, own } = inputs;
  let i = 0;
  let j = 0;
  const at = (o: KubeObject) => index.position.get(o) ?? Infinity;
  while (i < always.length || j < own.length) {
    if (j >= own.length || (i < always.length && at(always[i]) < at(own[j])))
      out.push(always[i++]);
    else out.push(own[j++]);
  }
  return out;
}

/** Whether two inputs are the same objects: the same report follows (the engine is pure). */
export function sameInputs(a: EntityInputs, b: EntityInputs): boolean {
  return (
    a.always === b.always &&
    sameArray(a.own, b.own) &&
    sameArray(a.listedKinds, b.listedKinds) &&
    sameArray(a.warnings, b.warnings)
  );
}
