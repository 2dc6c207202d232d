/*
 * What to read from a live cluster, as API paths: shared by the backend
 * (through the Kubernetes proxy) and the CLI (through a kubeconfig), so
 * both resolve the same objects, and read the answers the same way. No I/O:
 * the reading is done at the edges.
 */
import { KubeObject } from '../model';

export type ClusterRead = {
  path: string;
  /** The kind of the items, put back on items of typed lists. */
  kind: string;
  /** A read the answer cannot do without; others become warnings when they fail. */
  required?: boolean;
  /** Ask for metadata only (Secrets: names, never data). */
  metadataOnly?: boolean;
  /** What a successful read covers in full: `Kind` (cluster-wide) or `Kind@namespace`. */
  listed?: string;
  /** A kind from a CRD that clusters may not have: a 404 means "none", not a failure. */
  absentOk?: boolean;
};

const GATEWAY_API = '/apis/gateway.networking.k8s.io/v1';
const GATEWAY_API_BETA = '/apis/gateway.networking.k8s.io/v1beta1';
const GATEWAY_API_ALPHA = '/apis/gateway.networking.k8s.io/v1alpha2';
// Traefik moved its CRDs from traefik.containo.us to traefik.io in v2.10; clusters hold either.
const TRAEFIK_APIS = [
  '/apis/traefik.io/v1alpha1',
  '/apis/traefik.containo.us/v1alpha1',
];
const ISTIO_API = '/apis/networking.istio.io/v1';

/**
 * What `listed` says for Istio's Gateway: its kind is the Gateway API's
 * too, so it is qualified by its group.
 */
export const ISTIO_GATEWAY_LISTED = 'Gateway.networking.istio.io';

const bySelector = (selector: string) =>
  `?labelSelector=${encodeURIComponent(selector)}`;

/** Ingress controllers, by the labels their charts set. */
export const controllerPodSelectors = [
  'app.kubernetes.io/component=controller',
  'app.kubernetes.io/name in (traefik,ingress-nginx,rke2-ingress-nginx)',
];

/** Cluster-wide reads that say nothing about one application: shared by all of them. */
export function clusterWideReads(): ClusterRead[] {
  return [
    {
      path: '/api/v1/services',
      kind: 'Service',
      required: true,
      listed: 'Service',
    },
    {
      path: '/apis/networking.k8s.io/v1/ingressclasses',
      kind: 'IngressClass',
      listed: 'IngressClass',
    },
    { path: '/api/v1/nodes', kind: 'Node', listed: 'Node' },
    // kube-proxy / cilium-config: the kube-proxy mode.
    { path: '/api/v1/namespaces/kube-system/configmaps', kind: 'ConfigMap' },
    ...controllerPodSelectors.map(s => ({
      path: `/api/v1/pods${bySelector(s)}`,
      kind: 'Pod',
    })),
    // The ingress-nginx ConfigMap (forwarded headers, proxy protocol).
    {
      path: `/api/v1/configmaps${bySelector(
        'app.kubernetes.io/component=controller',
      )}`,
      kind: 'ConfigMap',
    },
    // Gateway API, where installed: Gateways and their classes are few and shared.
    {
      path: `${GATEWAY_API}/gatewayclasses`,
      kind: 'GatewayClass',
      listed: 'GatewayClass',
      absentOk: true,
    },
    {
      path: `${GATEWAY_API}/gateways`,
      kind: 'Gateway',
      listed: 'Gateway',
      absentOk: true,
    },
    // Namespace labels decide NetworkPolicy namespaceSelectors and Gateway allowedRoutes.
    { path: '/api/v1/namespaces', kind: 'Namespace', listed: 'Namespace' },
    {
      path: '/apis/networking.k8s.io/v1/networkpolicies',
      kind: 'NetworkPolicy',
      listed: 'NetworkPolicy',
    },
    // Cross-namespace references: the grant lives in the target's namespace, so it is read everywhere.
    {
      path: `${GATEWAY_API_BETA}/referencegrants`,
      kind: 'ReferenceGrant',
      listed: 'ReferenceGrant',
      absentOk: true,
    },
    // Middlewares and TraefikServices are referenced across namespaces (`<namespace>-<name>@kubernetescrd`).
    ...TRAEFIK_APIS.flatMap(api =>
      [
        ['middlewares', 'Middleware'],
        ['middlewaretcps', 'MiddlewareTCP'],
        ['traefikservices', 'TraefikService'],
      ].map(([plural, kind]) => ({
        path: `${api}/${plural}`,
        kind,
        absentOk: true,
      })),
    ),
    // Istio Gateways usually live in istio-system, away from their VirtualServices.
    {
      path: `${ISTIO_API}/gateways`,
      kind: 'Gateway',
      listed: ISTIO_GATEWAY_LISTED,
      absentOk: true,
    },
  ];
}

/** Route kinds from CRDs that clusters may lack: cluster-wide, or in one (encoded) namespace. */
function routeCrdReads(ns?: string): ClusterRead[] {
  const under = (api: string, plural: string) =>
    ns ? `${api}/namespaces/${ns}/${plural}` : `${api}/${plural}`;
  const read = (
    api: string,
    plural: string,
    kind: string,
    listed = true,
  ): ClusterRead => ({
    path: under(api, plural),
    kind,
    ...(listed && !ns ? { listed: kind } : {}),
    absentOk: true,
  });
  return [
    read(GATEWAY_API, 'grpcroutes', 'GRPCRoute'),
    read(GATEWAY_API_ALPHA, 'tlsroutes', 'TLSRoute'),
    read(GATEWAY_API_ALPHA, 'tcproutes', 'TCPRoute'),
    read(GATEWAY_API_ALPHA, 'udproutes', 'UDPRoute'),
    // Two groups of one kind: neither alone covers the kind in full.
    ...TRAEFIK_APIS.flatMap(api => [
      read(api, 'ingressroutes', 'IngressRoute', false),
      read(api, 'ingressroutetcps', 'IngressRouteTCP', false),
      read(api, 'ingressrouteudps', 'IngressRouteUDP', false),
    ]),
    read(ISTIO_API, 'virtualservices', 'VirtualService'),
  ];
}

/** The backend's cluster snapshot: cluster-wide reads plus every Ingress and EndpointSlice. */
export function snapshotReads(options: { secrets: boolean }): ClusterRead[] {
  const reads: ClusterRead[] = [
    ...clusterWideReads(),
    {
      path: '/apis/networking.k8s.io/v1/ingresses',
      kind: 'Ingress',
      listed: 'Ingress',
    },
    {
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      kind: 'EndpointSlice',
      listed: 'EndpointSlice',
    },
    {
      path: `${GATEWAY_API}/httproutes`,
      kind: 'HTTPRoute',
      listed: 'HTTPRoute',
      absentOk: true,
    },
    ...routeCrdReads(),
  ];
  if (options.secrets)
    reads.push({
      path: '/api/v1/secrets',
      kind: 'Secret',
      metadataOnly: true,
      listed: 'Secret',
    });
  return reads;
}

/** Everything the engine needs of one namespace. */
export function namespaceReads(
  namespace: string,
  options: { secrets: boolean },
): ClusterRead[] {
  const ns = encodeURIComponent(namespace);
  const reads: ClusterRead[] = [
    {
      path: `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`,
      kind: 'Ingress',
      listed: `Ingress@${namespace}`,
    },
    {
      path: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
      kind: 'EndpointSlice',
    },
    {
      path: `/api/v1/namespaces/${ns}/pods`,
      kind: 'Pod',
      listed: `Pod@${namespace}`,
    },
    {
      path: `${GATEWAY_API}/namespaces/${ns}/httproutes`,
      kind: 'HTTPRoute',
      absentOk: true,
    },
    ...routeCrdReads(ns),
  ];
  if (options.secrets)
    reads.push({
      path: `/api/v1/namespaces/${ns}/secrets`,
      kind: 'Secret',
      metadataOnly: true,
      listed: `Secret@${namespace}`,
    });
  return reads;
}

/** Pods by a label selector, cluster-wide or in one namespace. */
export function podsBySelector(
  selector: string,
  namespace?: string,
): ClusterRead {
  const base = namespace
    ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`
    : '/api/v1/pods';
  return { path: `${base}${bySelector(selector)}`, kind: 'Pod' };
}

/** Accept header of a read: metadata-only lists for Secrets. */
export function acceptHeader(read: ClusterRead): string {
  return read.metadataOnly
    ? 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json'
    : 'application/json';
}

/**
 * The objects of a list the API server sent for a read: `kind` put back on
 * the items of typed lists, and of a Secret only its name (its data is never
 * kept). Undefined when the body is not a list. Items that are not objects
 * are passed on for the loader to report.
 */
export function listedObjects(
  read: ClusterRead,
  body: unknown,
): KubeObject[] | undefined {
  const items = (body as { items?: unknown } | null | undefined)?.items;
  if (!Array.isArray(items)) return undefined;
  return items.map(item => {
    if (!item || typeof item !== 'object') return item as KubeObject;
    const o = item as KubeObject;
    if (read.kind === 'Secret')
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace },
      };
    return o.kind ? o : { ...o, kind: read.kind };
  });
}

/** The message of a Kubernetes `Status` body, if it is one. */
export function statusMessage(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * The objects of several reads, each once: the reads overlap by design (the
 * controller pods are read by selector and again with all pods), and the
 * engine reports an object it meets twice as an input error. The API group
 * is part of an object's identity: Istio's Gateway is not the Gateway API's.
 */
export function uniqueObjects(objects: KubeObject[]): KubeObject[] {
  const seen = new Set<string>();
  return objects.filter(o => {
    const group = o.apiVersion?.includes('/') ? o.apiVersion.split('/')[0] : '';
    const key = `${group}/${o.kind}/${o.metadata.namespace ?? ''}/${
      o.metadata.name
    }`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
