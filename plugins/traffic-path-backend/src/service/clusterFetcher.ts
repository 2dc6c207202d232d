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
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import { EntitySelection } from './entitySelection';
import { ClusterCallError, KubernetesGateway } from './kubernetesGateway';

/** A set of objects and what they cover, JSON-serialisable for a shared cache. */
export type ObjectBatch = {
  objects: KubeObject[];
  /** Kinds listed in full (cluster-wide, or `Kind@namespace`). */
  listedKinds: string[];
  /** Calls that failed without making the answer useless (e.g. Nodes forbidden). */
  warnings: string[];
  /** API calls made to produce this batch. */
  calls: number;
};

export type CallOptions = {
  credentials: BackstageCredentials;
  clientToken?: string;
  signal?: AbortSignal;
};

type Call = { path: string; kind: string; required?: boolean; metadataOnly?: boolean; listed?: string };

const selector = (s: string) => `?labelSelector=${encodeURIComponent(s)}`;

/** The calls of the cluster snapshot. `listed` says what a successful call covers. */
export function snapshotCalls(secrets: boolean): Call[] {
  const calls: Call[] = [
    { path: '/api/v1/services', kind: 'Service', required: true, listed: 'Service' },
    { path: '/apis/networking.k8s.io/v1/ingresses', kind: 'Ingress', listed: 'Ingress' },
    { path: '/apis/discovery.k8s.io/v1/endpointslices', kind: 'EndpointSlice', listed: 'EndpointSlice' },
    { path: '/apis/networking.k8s.io/v1/ingressclasses', kind: 'IngressClass', listed: 'IngressClass' },
    { path: '/api/v1/nodes', kind: 'Node', listed: 'Node' },
    // kube-proxy / cilium-config: the kube-proxy mode.
    { path: '/api/v1/namespaces/kube-system/configmaps', kind: 'ConfigMap' },
    // Ingress controllers, by the labels their charts set (see docs/configuration.md).
    { path: `/api/v1/pods${selector('app.kubernetes.io/component=controller')}`, kind: 'Pod' },
    { path: `/api/v1/pods${selector('app.kubernetes.io/name in (traefik,ingress-nginx,rke2-ingress-nginx)')}`, kind: 'Pod' },
    // The ingress-nginx ConfigMap (forwarded headers, proxy protocol).
    { path: `/api/v1/configmaps${selector('app.kubernetes.io/component=controller')}`, kind: 'ConfigMap' },
  ];
  // Names only: the server is asked for metadata, and only names are kept.
  if (secrets) calls.push({ path: '/api/v1/secrets', kind: 'Secret', metadataOnly: true, listed: 'Secret' });
  return calls;
}

/** Runs calls in parallel; an optional call that fails becomes a warning. */
async function runCalls(gateway: KubernetesGateway, cluster: string, calls: Call[], options: CallOptions): Promise<ObjectBatch> {
  const warnings: string[] = [];
  const results = await Promise.all(
    calls.map(async call => {
      try {
        const { objects } = await gateway.list(cluster, call.path, { ...options, metadataOnly: call.metadataOnly });
        return objects.map(o => (call.kind === 'Secret' ? secretName(o) : o));
      } catch (e) {
        if (call.required || options.signal?.aborted || !(e instanceof ClusterCallError)) throw e;
        warnings.push(e.message);
        return undefined;
      }
    }),
  );
  const objects: KubeObject[] = [];
  const listedKinds: string[] = [];
  results.forEach((found, i) => {
    if (!found) return;
    objects.push(...found);
    if (calls[i].listed) listedKinds.push(calls[i].listed!);
  });
  return { objects, listedKinds, warnings, calls: calls.length };
}

/** Whatever the server sent for a Secret, only its name is kept. */
function secretName(o: KubeObject): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace } };
}

export function fetchSnapshot(gateway: KubernetesGateway, cluster: string, secrets: boolean, options: CallOptions): Promise<ObjectBatch> {
  return runCalls(gateway, cluster, snapshotCalls(secrets), options);
}

/** The entity's pods, by its label selector (in its namespace when annotated). */
export function fetchEntityPods(gateway: KubernetesGateway, cluster: string, selection: EntitySelection, options: CallOptions): Promise<ObjectBatch> {
  const base = selection.namespace ? `/api/v1/namespaces/${encodeURIComponent(selection.namespace)}/pods` : '/api/v1/pods';
  return runCalls(gateway, cluster, [{ path: `${base}${selector(selection.selector)}`, kind: 'Pod' }], options);
}

/** Round 2: every pod of the given namespaces, listed in full. */
export function fetchNamespacePods(gateway: KubernetesGateway, cluster: string, namespaces: string[], options: CallOptions): Promise<ObjectBatch> {
  return runCalls(
    gateway,
    cluster,
    namespaces.map(ns => ({ path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, kind: 'Pod', listed: `Pod@${ns}` })),
    options,
  );
}

export function mergeBatches(...batches: ObjectBatch[]): ObjectBatch {
  return {
    objects: batches.flatMap(b => b.objects),
    listedKinds: [...new Set(batches.flatMap(b => b.listedKinds))],
    warnings: batches.flatMap(b => b.warnings),
    calls: batches.reduce((n, b) => n + b.calls, 0),
  };
}
