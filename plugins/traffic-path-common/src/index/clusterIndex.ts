/*
 * The ClusterIndex: every lookup the resolution needs, built once in one
 * pass, so that no step scans all objects per route.
 */
import { KubeObject, PodTemplateOf } from '../model';
import type { EndpointSet } from '../resolve/endpoints';
import { nodeAddress } from '../resolve/nodes';
import {
  annotation,
  field,
  isRecord,
  num,
  label,
  namespaceOf,
  str,
  stringMap,
  records,
} from '../util/fields';
import { keepShape } from '../util/shapes';

/** Objects by namespace and name, without building a key string per object. */
export class Namespaced<T> {
  private readonly byNamespace = new Map<string, Map<string, T>>();
  size = 0;

  get(namespace: string, name: string): T | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  has(namespace: string, name: string): boolean {
    return this.get(namespace, name) !== undefined;
  }

  /** Sets the value; returns the one it replaced, if any. */
  set(namespace: string, name: string, value: T): T | undefined {
    let names = this.byNamespace.get(namespace);
    if (!names) {
      names = new Map();
      this.byNamespace.set(namespace, names);
    }
    const replaced = names.get(name);
    if (replaced === undefined) this.size++;
    names.set(name, value);
    return replaced;
  }

  *values(): IterableIterator<T> {
    for (const names of this.byNamespace.values()) yield* names.values();
  }

  /** The objects of one namespace, in the order they came. */
  valuesIn(namespace: string): Iterable<T> {
    return this.byNamespace.get(namespace)?.values() ?? [];
  }

  hasNamespace(namespace: string): boolean {
    return this.byNamespace.has(namespace);
  }

  namespaces(): IterableIterator<string> {
    return this.byNamespace.keys();
  }
}

// Every report's index holds Namespaced maps: see util/shapes.ts.
keepShape(new Namespaced<never>());

export type ClusterIndex = {
  /** Kinds known to be complete in the input (listed, or present). */
  listed: Set<string>;
  services: Namespaced<KubeObject>;
  pods: Namespaced<KubeObject>;
  /** Namespaces that hold pods of the input, not the templates that stand in for them. */
  podNamespaces: Set<string>;
  /** `label=value` → pods, per namespace, built when a selector first needs it. */
  podsByLabel: Map<string, Map<string, KubeObject[]>>;
  slicesByService: Namespaced<KubeObject[]>;
  endpoints: Namespaced<KubeObject>;
  ingresses: KubeObject[];
  /** Gateway API: Gateways by namespace, GatewayClasses by name, HTTPRoutes. */
  gateways: Namespaced<KubeObject>;
  gatewayClasses: Map<string, KubeObject>;
  httpRoutes: KubeObject[];
  /** GRPCRoutes, TLSRoutes, TCPRoutes and UDPRoutes, in input order. */
  otherRoutes: KubeObject[];
  /** ReferenceGrants by the namespace they grant access into. */
  referenceGrants: Namespaced<KubeObject>;
  /** Istio (networking.istio.io) Gateways, apart from Gateway API ones. */
  istioGateways: Namespaced<KubeObject>;
  virtualServices: KubeObject[];
  /** Traefik IngressRoutes, IngressRouteTCPs and IngressRouteUDPs (traefik.io and traefik.containo.us). */
  traefikRoutes: KubeObject[];
  middlewares: Namespaced<KubeObject>;
  /** Traefik's TCP middlewares: an IngressRouteTCP's `middlewares` name these, not HTTP ones. */
  middlewareTcps: Namespaced<KubeObject>;
  /** Traefik's weighted / mirroring services, referenced by `services[].kind: TraefikService`. */
  traefikServices: Namespaced<KubeObject>;
  ingressClasses: Map<string, KubeObject>;
  networkPolicies: Namespaced<KubeObject>;
  namespaces: Map<string, KubeObject>;
  defaultIngressClasses: KubeObject[];
  nodes: Map<string, KubeObject>;
  /** Node name → the address other nodes use for it. */
  nodeAddresses: Map<string, string>;
  /** Memo of serviceEndpoints, per Service and port. */
  endpointSets: Map<KubeObject, Map<string, EndpointSet>>;
  configMaps: Namespaced<KubeObject>;
  secrets: Namespaced<KubeObject>;
  /** LoadBalancer status address → Services that have it. */
  servicesByLbAddress: Map<string, KubeObject[]>;
  /** Pods that look like ingress controllers (args or well-known labels). */
  controllerPods: KubeObject[];
  /** Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs. */
  workloads: KubeObject[];
  /** Objects met more than once (same kind, namespace and name): the later copy is used. */
  duplicates: { earlier: KubeObject; later: KubeObject }[];
};

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

const controllerArgs =
  /^--(ingress-class|controller-class|publish-service|election-id)=|^--providers\.kubernetes(ingress|crd)/;

const controllerNames = /ingress-nginx|nginx-ingress|traefik/;

/** Read directly: this runs once per pod of the cluster. */
function looksLikeIngressController(pod: KubeObject): boolean {
  const labels = pod.metadata.labels;
  if (isRecord(labels)) {
    const name = labels['app.kubernetes.io/name'] ?? labels.app;
    if (typeof name === 'string' && controllerNames.test(name))
      return labels['app.kubernetes.io/component'] !== 'default-backend';
  }
  const spec = pod.spec;
  const containers = isRecord(spec) ? spec.containers : undefined;
  if (!Array.isArray(containers)) return false;
  for (const c of containers) {
    const args = isRecord(c) ? c.args : undefined;
    if (!Array.isArray(args)) continue;
    for (const a of args)
      if (typeof a === 'string' && controllerArgs.test(a)) return true;
  }
  return false;
}

/** Istio's kinds share names with the Gateway API's: the API group tells them apart. */
function isIstio(obj: KubeObject): boolean {
  return (
    typeof obj.apiVersion === 'string' &&
    obj.apiVersion.startsWith('networking.istio.io/')
  );
}

/** What buildIndex keeps while it reads the objects one by one (readObject). */
type Reading = {
  index: ClusterIndex;
  /** Ingresses, HTTPRoutes and other routes are kept in order; these find an earlier copy's place. */
  ingressAt: Namespaced<number>;
  httpRouteAt: Namespaced<number>;
  otherRouteAt: Map<string, Namespaced<number>>;
  sliceNames: Namespaced<KubeObject>;
  /** Objects come grouped by kind: each kind is noted once per run of it. */
  previousKind: string;
  previousApi: string | undefined;
};

function routeAt(r: Reading, kind: string): Namespaced<number> {
  let at = r.otherRouteAt.get(kind);
  if (!at) {
    at = new Namespaced<number>();
    r.otherRouteAt.set(kind, at);
  }
  return at;
}

function noteDuplicate(
  r: Reading,
  replaced: KubeObject | undefined,
  obj: KubeObject,
): void {
  if (replaced !== undefined)
    r.index.duplicates.push({ earlier: replaced, later: obj });
}

function keepInOrder(
  r: Reading,
  list: KubeObject[],
  at: Namespaced<number>,
  ns: string,
  obj: KubeObject,
): void {
  const earlier = at.get(ns, obj.metadata.name);
  if (earlier === undefined) {
    at.set(ns, obj.metadata.name, list.length);
    list.push(obj);
  } else {
    noteDuplicate(r, list[earlier], obj);
    list[earlier] = obj;
  }
}

function readObject(r: Reading, obj: KubeObject): void {
  const { index } = r;
  if (obj.kind !== r.previousKind || obj.apiVersion !== r.previousApi) {
    // An Istio Gateway says nothing about Gateway API Gateways (live/reads.ts names it so too).
    index.listed.add(
      obj.kind === 'Gateway' && isIstio(obj)
        ? 'Gateway.networking.istio.io'
        : obj.kind,
    );
    r.previousKind = obj.kind;
    r.previousApi = obj.apiVersion;
  }
  const ns = namespaceOf(obj);
  const name = obj.metadata.name;
  switch (obj.kind) {
    case 'Service': {
      const earlier = index.services.set(ns, name, obj);
      noteDuplicate(r, earlier, obj);
      if (earlier) {
        for (const [address, services] of index.servicesByLbAddress)
          index.servicesByLbAddress.set(
            address,
            services.filter(s => s !== earlier),
          );
      }
      for (const ing of records(obj, 'status.loadBalancer.ingress')) {
        for (const addr of [str(ing, 'ip'), str(ing, 'hostname')]) {
          if (addr) push(index.servicesByLbAddress, addr, obj);
        }
      }
      break;
    }
    case 'Pod': {
      const earlier = index.pods.set(ns, name, obj);
      index.podNamespaces.add(ns);
      noteDuplicate(r, earlier, obj);
      if (earlier)
        index.controllerPods = index.controllerPods.filter(p => p !== earlier);
      if (looksLikeIngressController(obj)) index.controllerPods.push(obj);
      break;
    }
    case 'EndpointSlice': {
      const earlier = r.sliceNames.set(ns, name, obj);
      noteDuplicate(r, earlier, obj);
      if (earlier) {
        // A slice met twice would count its endpoints twice: drop the earlier copy.
        const earlierService = label(earlier, 'kubernetes.io/service-name');
        const earlierSlices = earlierService
          ? index.slicesByService.get(ns, earlierService)
          : undefined;
        const at = earlierSlices ? earlierSlices.indexOf(earlier) : -1;
        if (at >= 0) earlierSlices!.splice(at, 1);
      }
      const service = label(obj, 'kubernetes.io/service-name');
      if (service) {
        const slices = index.slicesByService.get(ns, service);
        if (slices) slices.push(obj);
        else index.slicesByService.set(ns, service, [obj]);
      }
      break;
    }
    case 'Endpoints':
      noteDuplicate(r, index.endpoints.set(ns, name, obj), obj);
      break;
    case 'Ingress':
      keepInOrder(r, index.ingresses, r.ingressAt, ns, obj);
      break;
    case 'Gateway':
      // Istio's Gateway shares the kind name with the Gateway API's.
      if (isIstio(obj))
        noteDuplicate(r, index.istioGateways.set(ns, name, obj), obj);
      else noteDuplicate(r, index.gateways.set(ns, name, obj), obj);
      break;
    case 'GRPCRoute':
    case 'TLSRoute':
    case 'TCPRoute':
    case 'UDPRoute':
      keepInOrder(r, index.otherRoutes, routeAt(r, obj.kind), ns, obj);
      break;
    case 'ReferenceGrant':
      noteDuplicate(r, index.referenceGrants.set(ns, name, obj), obj);
      break;
    case 'VirtualService':
      keepInOrder(r, index.virtualServices, routeAt(r, obj.kind), ns, obj);
      break;
    case 'IngressRoute':
    case 'IngressRouteTCP':
    case 'IngressRouteUDP':
      keepInOrder(r, index.traefikRoutes, routeAt(r, obj.kind), ns, obj);
      break;
    case 'Middleware':
      noteDuplicate(r, index.middlewares.set(ns, name, obj), obj);
      break;
    case 'MiddlewareTCP':
      noteDuplicate(r, index.middlewareTcps.set(ns, name, obj), obj);
      break;
    case 'TraefikService':
      noteDuplicate(r, index.traefikServices.set(ns, name, obj), obj);
      break;
    case 'GatewayClass':
      noteDuplicate(r, index.gatewayClasses.get(name), obj);
      index.gatewayClasses.set(name, obj);
      break;
    case 'HTTPRoute':
      keepInOrder(r, index.httpRoutes, r.httpRouteAt, ns, obj);
      break;
    case 'IngressClass': {
      const earlier = index.ingressClasses.get(name);
      noteDuplicate(r, earlier, obj);
      if (earlier) {
        // Met twice, a default class would look like two defaults.
        index.defaultIngressClasses = index.defaultIngressClasses.filter(
          c => c !== earlier,
        );
      }
      index.ingressClasses.set(name, obj);
      if (
        annotation(obj, 'ingressclass.kubernetes.io/is-default-class') ===
        'true'
      ) {
        index.defaultIngressClasses.push(obj);
      }
      break;
    }
    case 'Node': {
      noteDuplicate(r, index.nodes.get(name), obj);
      index.nodes.set(name, obj);
      const address = nodeAddress(obj);
      if (address) index.nodeAddresses.set(obj.metadata.name, address);
      break;
    }
    case 'NetworkPolicy':
      noteDuplicate(r, index.networkPolicies.set(ns, name, obj), obj);
      break;
    case 'Namespace':
      noteDuplicate(r, index.namespaces.get(name), obj);
      index.namespaces.set(name, obj);
      break;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
    case 'CronJob':
      index.workloads.push(obj);
      break;
    case 'ConfigMap':
      noteDuplicate(r, index.configMaps.set(ns, name, obj), obj);
      break;
    case 'Secret':
      noteDuplicate(r, index.secrets.set(ns, name, obj), obj);
      break;
    default:
      break;
  }
}

export function buildIndex(
  objects: KubeObject[],
  listedKinds: Iterable<string> = [],
): ClusterIndex {
  const index: ClusterIndex = {
    listed: new Set(listedKinds),
    services: new Namespaced(),
    pods: new Namespaced(),
    podNamespaces: new Set(),
    podsByLabel: new Map(),
    slicesByService: new Namespaced(),
    endpoints: new Namespaced(),
    ingresses: [],
    gateways: new Namespaced(),
    gatewayClasses: new Map(),
    httpRoutes: [],
    otherRoutes: [],
    referenceGrants: new Namespaced(),
    istioGateways: new Namespaced(),
    virtualServices: [],
    traefikRoutes: [],
    middlewares: new Namespaced(),
    middlewareTcps: new Namespaced(),
    traefikServices: new Namespaced(),
    ingressClasses: new Map(),
    networkPolicies: new Namespaced(),
    namespaces: new Map(),
    defaultIngressClasses: [],
    nodes: new Map(),
    nodeAddresses: new Map(),
    endpointSets: new Map(),
    configMaps: new Namespaced(),
    secrets: new Namespaced(),
    servicesByLbAddress: new Map(),
    controllerPods: [],
    workloads: [],
    duplicates: [],
  };
  const reading: Reading = {
    index,
    ingressAt: new Namespaced(),
    httpRouteAt: new Namespaced(),
    otherRouteAt: new Map(),
    sliceNames: new Namespaced(),
    previousKind: '',
    previousApi: undefined,
  };
  // forEach calling a function of the module, not a loop here: V8 compiles a
  // long loop for entry mid-way (on-stack replacement), code that every full
  // collection drops, so each report compiled it again; readObject's code is kept.
  objects.forEach(obj => readObject(reading, obj));
  addTemplatePods(index);
  return index;
}

const workloadKinds = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
]);

/** The workload a template pod stands for, when it is one. */
export function templateOf(pod: KubeObject): PodTemplateOf | undefined {
  const t = (pod as { templateOf?: unknown }).templateOf;
  return isRecord(t) ? (t as PodTemplateOf) : undefined;
}

/**
 * Manifests before deploy hold workloads but no pods: each workload's pod
 * template stands in for its pods, unless pods of it are in the input or
 * another workload in the input owns it (a Deployment's ReplicaSet).
 */
function addTemplatePods(index: ClusterIndex): void {
  for (const workload of index.workloads) {
    const owned = records(workload, 'metadata.ownerReferences').some(o => {
      const kind = str(o, 'kind');
      return kind !== undefined && workloadKinds.has(kind);
    });
    if (owned) continue;
    const template =
      workload.kind === 'CronJob'
        ? field(workload, 'spec.jobTemplate.spec.template')
        : field(workload, 'spec.template');
    if (!isRecord(template)) continue;
    const ns = namespaceOf(workload);
    const labels = stringMap(template, 'metadata.labels');
    if (Object.keys(labels).length > 0 && selectPods(index, ns, labels).length)
      continue;
    let replicas: number | undefined;
    if (workload.kind !== 'DaemonSet' && workload.kind !== 'CronJob')
      replicas =
        num(
          workload,
          workload.kind === 'Job' ? 'spec.parallelism' : 'spec.replicas',
        ) ?? 1;
    const name = `${workload.metadata.name} (template)`;
    if (index.pods.has(ns, name)) continue;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels },
      spec: template.spec,
      templateOf: {
        kind: workload.kind,
        name: workload.metadata.name,
        ...(replicas !== undefined ? { replicas } : {}),
      },
    };
    index.pods.set(ns, name, pod);
    // The namespace's label index, if already built, must see the new pod.
    index.podsByLabel.delete(ns);
    if (looksLikeIngressController(pod)) index.controllerPods.push(pod);
  }
}

/** The label index of a namespace's pods, built when a selector first needs it. */
function labelIndex(
  index: ClusterIndex,
  namespace: string,
): Map<string, KubeObject[]> {
  let byLabel = index.podsByLabel.get(namespace);
  if (!byLabel) {
    byLabel = new Map();
    for (const pod of index.pods.valuesIn(namespace)) {
      for (const [k, v] of Object.entries(stringMap(pod, 'metadata.labels')))
        push(byLabel, `${k}=${v}`, pod);
    }
    index.podsByLabel.set(namespace, byLabel);
  }
  return byLabel;
}

/** The pods of a namespace that a Service selector selects. Empty selector: none. */
export function selectPods(
  index: ClusterIndex,
  namespace: string,
  selector: Record<string, string>,
): KubeObject[] {
  const pairs = Object.entries(selector);
  if (pairs.length === 0) return [];
  // Start from the rarest label so the filter stays cheap on big clusters.
  const byLabel = labelIndex(index, namespace);
  let smallest: KubeObject[] | undefined;
  for (const [k, v] of pairs) {
    const candidates = byLabel.get(`${k}=${v}`) ?? [];
    if (!smallest || candidates.length < smallest.length) smallest = candidates;
    if (candidates.length === 0) return [];
  }
  return (smallest ?? []).filter(pod => {
    const labels = stringMap(pod, 'metadata.labels');
    return pairs.every(([k, v]) => labels[k] === v);
  });
}

/** Input that says nothing about a kind cannot prove an object of it missing. */
export function isListed(index: ClusterIndex, kind: string): boolean {
  return index.listed.has(kind);
}

/**
 * Whether the input covers a namespace for a kind: a list of that namespace,
 * or at least one object of the kind there. Dumps often hold some namespaces only.
 */
export function isListedIn(
  index: ClusterIndex,
  kind: 'Service' | 'Pod' | 'Secret',
  namespace: string,
): boolean {
  if (index.listed.has(`${kind}@${namespace}`)) return true;
  const objects = {
    Service: index.services,
    Pod: index.pods,
    Secret: index.secrets,
  }[kind];
  return objects.hasNamespace(namespace);
}
