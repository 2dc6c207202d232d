/*
 * What the engine needs from one cluster for one entity, in two rounds of
 * parallel LIST calls: first what does not depend on the entity's
 * namespaces (all Services, IngressClasses, Nodes, kube-system ConfigMaps,
 * ingress controller pods), then, per namespace of the entity's Services,
 * Ingresses, EndpointSlices, Pods (and Secret names when enabled). The
 * number of calls grows with the kinds and the entity's namespaces, never
 * with the number of objects.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import { EntitySelection } from './entitySelection';
import { ClusterCallError, KubernetesGateway } from './kubernetesGateway';

export type ClusterObjects = {
  objects: KubeObject[];
  /** Kinds listed in full (cluster-wide, or `Kind@namespace`). */
  listedKinds: string[];
  /** Names of the entity's own Services: the routes shown are those reaching them. */
  entityServices: { namespace: string; name: string }[];
  /** Calls that failed without making the answer useless (e.g. Nodes forbidden). */
  warnings: string[];
  calls: number;
};

export type FetchOptions = {
  credentials: BackstageCredentials;
  clientToken?: string;
  signal?: AbortSignal;
  secrets: boolean;
};

const controllerSelectors = ['app.kubernetes.io/component=controller', 'app.kubernetes.io/name in (traefik,ingress-nginx,rke2-ingress-nginx)'];

export async function fetchClusterObjects(gateway: KubernetesGateway, cluster: string, selection: EntitySelection, options: FetchOptions): Promise<ClusterObjects> {
  let calls = 0;
  const warnings: string[] = [];
  const list = async (path: string, required: boolean, metadataOnly = false) => {
    calls++;
    try {
      return (await gateway.list(cluster, path, { credentials: options.credentials, clientToken: options.clientToken, signal: options.signal, metadataOnly })).objects;
    } catch (e) {
      if (required || options.signal?.aborted || !(e instanceof ClusterCallError)) throw e;
      warnings.push(e.message);
      return undefined;
    }
  };
  const q = (selector: string) => `?labelSelector=${encodeURIComponent(selector)}`;

  const [services, ingressClasses, nodes, systemConfigMaps, ...controllerPods] = await Promise.all([
    list('/api/v1/services', true),
    list('/apis/networking.k8s.io/v1/ingressclasses', false),
    list('/api/v1/nodes', false),
    list('/api/v1/namespaces/kube-system/configmaps', false),
    ...controllerSelectors.map(s => list(`/api/v1/pods${q(s)}`, false)),
  ]);
  const entityServices = (services ?? []).filter(s => selection.matches(s));
  const namespaces = [...new Set(entityServices.map(s => s.metadata.namespace ?? 'default'))].sort();

  const perNamespace = await Promise.all(
    namespaces.map(async ns => {
      const [ingresses, slices, pods, secrets] = await Promise.all([
        list(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`, false),
        list(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, false),
        list(`/api/v1/namespaces/${ns}/pods`, false),
        options.secrets ? list(`/api/v1/namespaces/${ns}/secrets`, false, true) : Promise.resolve(undefined),
      ]);
      return { ns, ingresses, slices, pods, secrets };
    }),
  );

  const objects: KubeObject[] = [...(services ?? []), ...(ingressClasses ?? []), ...(nodes ?? []), ...(systemConfigMaps ?? [])];
  controllerPods.forEach(p => objects.push(...(p ?? [])));
  const listedKinds = ['Service'];
  if (ingressClasses) listedKinds.push('IngressClass');
  if (nodes) listedKinds.push('Node');
  for (const { ns, ingresses, slices, pods, secrets } of perNamespace) {
    if (ingresses) listedKinds.push(`Ingress@${ns}`);
    if (pods) listedKinds.push(`Pod@${ns}`);
    if (secrets) listedKinds.push('Secret', `Secret@${ns}`);
    objects.push(...(ingresses ?? []), ...(slices ?? []), ...(pods ?? []));
    // Whatever the server sent, only the name of a Secret is kept.
    for (const s of secrets ?? []) objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: s.metadata?.name, namespace: s.metadata?.namespace ?? ns } });
  }
  return {
    objects,
    listedKinds,
    entityServices: entityServices.map(s => ({ namespace: s.metadata.namespace ?? 'default', name: s.metadata.name })),
    warnings,
    calls,
  };
}
