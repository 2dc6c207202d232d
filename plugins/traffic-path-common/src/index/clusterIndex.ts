/*
 * The ClusterIndex: every lookup the resolution needs, built once in one
 * pass, so that no step scans all objects per route.
 */
import { KubeObject } from '../model';
import { field, key, label, namespaceOf, str, strings, stringMap, records } from '../util/fields';

export type ClusterIndex = {
  objects: Map<string, KubeObject[]>;
  /** Kinds known to be complete in the input (listed, or present). */
  listed: Set<string>;
  services: Map<string, KubeObject>;
  pods: Map<string, KubeObject>;
  /** `namespace\0label=value` → pods carrying that label. */
  podsByLabel: Map<string, KubeObject[]>;
  podsByIp: Map<string, KubeObject>;
  slicesByService: Map<string, KubeObject[]>;
  endpoints: Map<string, KubeObject>;
  ingresses: KubeObject[];
  ingressClasses: Map<string, KubeObject>;
  defaultIngressClasses: KubeObject[];
  nodes: Map<string, KubeObject>;
  configMaps: Map<string, KubeObject>;
  secrets: Map<string, KubeObject>;
  /** LoadBalancer status address → Services that have it. */
  servicesByLbAddress: Map<string, KubeObject[]>;
  /** Pods that look like ingress controllers (args or well-known labels). */
  controllerPods: KubeObject[];
};

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

const controllerArgs = /^--(ingress-class|controller-class|publish-service|election-id)=|^--providers\.kubernetes(ingress|crd)/;

function looksLikeIngressController(pod: KubeObject): boolean {
  const labels = stringMap(pod, 'metadata.labels');
  const name = labels['app.kubernetes.io/name'] ?? labels.app ?? '';
  if (/ingress-nginx|nginx-ingress|traefik/.test(name)) {
    return labels['app.kubernetes.io/component'] !== 'default-backend';
  }
  return records(pod, 'spec.containers').some(c =>
    [...strings(c, 'args'), ...strings(c, 'command')].some(a => controllerArgs.test(a)),
  );
}

export function buildIndex(objects: KubeObject[], listedKinds: Iterable<string> = []): ClusterIndex {
  const index: ClusterIndex = {
    objects: new Map(),
    listed: new Set(listedKinds),
    services: new Map(),
    pods: new Map(),
    podsByLabel: new Map(),
    podsByIp: new Map(),
    slicesByService: new Map(),
    endpoints: new Map(),
    ingresses: [],
    ingressClasses: new Map(),
    defaultIngressClasses: [],
    nodes: new Map(),
    configMaps: new Map(),
    secrets: new Map(),
    servicesByLbAddress: new Map(),
    controllerPods: [],
  };
  for (const obj of objects) {
    index.listed.add(obj.kind);
    if (obj.metadata.namespace) index.listed.add(`${obj.kind}@${obj.metadata.namespace}`);
    push(index.objects, obj.kind, obj);
    const ns = namespaceOf(obj);
    const k = key(ns, obj.metadata.name);
    switch (obj.kind) {
      case 'Service':
        index.services.set(k, obj);
        for (const ing of records(obj, 'status.loadBalancer.ingress')) {
          for (const addr of [str(ing, 'ip'), str(ing, 'hostname')]) {
            if (addr) push(index.servicesByLbAddress, addr, obj);
          }
        }
        break;
      case 'Pod': {
        index.pods.set(k, obj);
        for (const [lk, lv] of Object.entries(stringMap(obj, 'metadata.labels'))) {
          push(index.podsByLabel, `${ns}\0${lk}=${lv}`, obj);
        }
        const ip = str(obj, 'status.podIP');
        // hostNetwork pods share the node's address: not a key for a pod.
        if (ip && field(obj, 'spec.hostNetwork') !== true) index.podsByIp.set(ip, obj);
        if (looksLikeIngressController(obj)) index.controllerPods.push(obj);
        break;
      }
      case 'EndpointSlice': {
        const service = label(obj, 'kubernetes.io/service-name');
        if (service) push(index.slicesByService, key(ns, service), obj);
        break;
      }
      case 'Endpoints':
        index.endpoints.set(k, obj);
        break;
      case 'Ingress':
        index.ingresses.push(obj);
        break;
      case 'IngressClass':
        index.ingressClasses.set(obj.metadata.name, obj);
        if (stringMap(obj, 'metadata.annotations')['ingressclass.kubernetes.io/is-default-class'] === 'true') {
          index.defaultIngressClasses.push(obj);
        }
        break;
      case 'Node':
        index.nodes.set(obj.metadata.name, obj);
        break;
      case 'ConfigMap':
        index.configMaps.set(k, obj);
        break;
      case 'Secret':
        index.secrets.set(k, obj);
        break;
      default:
        break;
    }
  }
  return index;
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
  let smallest: KubeObject[] | undefined;
  for (const [k, v] of pairs) {
    const candidates = index.podsByLabel.get(`${namespace}\0${k}=${v}`) ?? [];
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
export function isListedIn(index: ClusterIndex, kind: string, namespace: string): boolean {
  return index.listed.has(`${kind}@${namespace}`);
}
