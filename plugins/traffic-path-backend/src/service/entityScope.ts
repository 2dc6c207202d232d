/*
 * From a cluster snapshot to what concerns one entity: its Services, the
 * objects the engine needs to resolve the routes to them, and the
 * namespaces whose pods must still be read (round 2). Pure.
 */
import {
  KubeObject,
  uniqueObjects,
} from '@internal/plugin-traffic-path-common';
import { EntitySelection } from './entitySelection';

export type ServiceRef = { namespace: string; name: string };

export type EntityScope = {
  entityServices: ServiceRef[];
  /** Namespaces of entity Services without EndpointSlices: their pods are needed to derive endpoints. */
  podNamespacesNeeded: string[];
};

const nsOf = (o: KubeObject) => o.metadata.namespace ?? 'default';

export const GATEWAY_API_ROUTES = new Set([
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
]);

/**
 * The namespaces a Gateway API route sends to: its own, and those its
 * backendRefs name (a cross-namespace backend, allowed by a ReferenceGrant
 * there).
 */
export function routeTargetNamespaces(route: KubeObject): string[] {
  const rules =
    (route.spec as { rules?: { backendRefs?: { namespace?: unknown }[] }[] })
      ?.rules ?? [];
  const named = rules.flatMap(rule =>
    (Array.isArray(rule?.backendRefs) ? rule.backendRefs : [])
      .map(ref => ref?.namespace)
      .filter((ns): ns is string => typeof ns === 'string'),
  );
  return [nsOf(route), ...named];
}
const sliceService = (o: KubeObject) =>
  o.metadata.labels?.['kubernetes.io/service-name'];

export function entityScope(
  snapshot: KubeObject[],
  selection: EntitySelection,
): EntityScope {
  const services = snapshot.filter(
    o => o.kind === 'Service' && selection.ownsService(o),
  );
  const sliced = new Set(
    snapshot
      .filter(o => o.kind === 'EndpointSlice')
      .map(o => `${nsOf(o)}/${sliceService(o)}`),
  );
  const needed = services.filter(s => {
    const spec = s.spec as
      | { selector?: Record<string, string>; type?: string }
      | undefined;
    return (
      spec?.type !== 'ExternalName' &&
      spec?.selector &&
      Object.keys(spec.selector).length > 0 &&
      !sliced.has(`${nsOf(s)}/${s.metadata.name}`)
    );
  });
  return {
    entityServices: services.map(s => ({
      namespace: nsOf(s),
      name: s.metadata.name,
    })),
    podNamespacesNeeded: [...new Set(needed.map(nsOf))].sort(),
  };
}

/**
 * The objects to resolve for an entity: everything in its namespaces,
 * Services that can be entry points or sit in front of ingress controllers
 * anywhere, Gateway API routes that send to its namespaces from anywhere,
 * and the cluster-wide kinds. Objects read twice (a controller pod
 * matched by two selectors) are kept once.
 */
export function objectsForEntity(
  objects: KubeObject[],
  scope: EntityScope,
): KubeObject[] {
  const namespaces = new Set(scope.entityServices.map(s => s.namespace));
  const controllerNamespaces = new Set(
    objects.filter(o => o.kind === 'Pod' && !namespaces.has(nsOf(o))).map(nsOf),
  );
  const keptServices = new Set<string>();
  const keepService = (o: KubeObject) => {
    const type = (o.spec as { type?: string } | undefined)?.type;
    return (
      namespaces.has(nsOf(o)) ||
      controllerNamespaces.has(nsOf(o)) ||
      type === 'LoadBalancer' ||
      type === 'NodePort'
    );
  };
  for (const o of objects)
    if (o.kind === 'Service' && keepService(o))
      keptServices.add(`${nsOf(o)}/${o.metadata.name}`);

  return uniqueObjects(objects).filter(o => {
    switch (o.kind) {
      case 'Service':
        return keptServices.has(`${nsOf(o)}/${o.metadata.name}`);
      case 'EndpointSlice':
        return keptServices.has(`${nsOf(o)}/${sliceService(o)}`);
      // An Ingress sends only to Services of its own namespace; its TLS Secrets live there too.
      case 'Ingress':
      case 'Secret':
        return namespaces.has(nsOf(o));
      default:
        if (GATEWAY_API_ROUTES.has(o.kind))
          return routeTargetNamespaces(o).some(ns => namespaces.has(ns));
        return true;
    }
  });
}
