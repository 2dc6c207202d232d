/*
 * How the module reaches one cluster of the Kubernetes backend: its URL,
 * its CA and the credential of the request, as a client-node KubeConfig
 * (so TLS and auth are applied by `applyToHTTPSOptions`, as for the CLI),
 * and one kept-alive agent per cluster and TLS identity.
 *
 * The in-cluster path is the Kubernetes backend's: a `serviceAccount`
 * cluster without a configured token, on a pod with a mounted service
 * account, is reached at the in-cluster address with the mounted CA.
 *
 * client-node is an ES module: it is loaded with `import()`, as the
 * Kubernetes backend loads it, so that a CommonJS build can use it.
 */

const clientNode = () => import('@kubernetes/client-node');
import { existsSync } from 'node:fs';
import { Agent } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  SERVICEACCOUNT_CA_PATH,
} from '@backstage/plugin-kubernetes-common';
import {
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';

/** Where the API server of the pod's own cluster is, and its CA file. */
export type InClusterApi = { server: string; caFile?: string };

export type InClusterEnvironment = {
  /** Whether the pod has a mounted service account CA. */
  hasServiceAccount(): boolean;
  /** The in-cluster API server (client-node's `loadFromCluster`). */
  api(): Promise<InClusterApi>;
};

/**
 * The pod this runs in, as the Kubernetes backend sees it: client-node's
 * `loadFromCluster` (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, the
 * mounted CA). `pathPrefix` puts the mounted files under another directory
 * (tests), as `loadFromCluster` takes it.
 */
export function inClusterEnvironment(pathPrefix = ''): InClusterEnvironment {
  return {
    hasServiceAccount: () =>
      existsSync(`${pathPrefix}${SERVICEACCOUNT_CA_PATH}`),
    async api() {
      const { KubeConfig } = await clientNode();
      const kc = new KubeConfig();
      kc.loadFromCluster(pathPrefix);
      const cluster = kc.getCurrentCluster()!;
      return { server: cluster.server, caFile: cluster.caFile };
    },
  };
}

export const podEnvironment: InClusterEnvironment = inClusterEnvironment();

/** As the Kubernetes backend decides it (KubernetesProxy, KubernetesFetcher). */
export function usesInClusterApi(
  cluster: ClusterDetails,
  environment: InClusterEnvironment,
): boolean {
  return (
    cluster.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ===
      'serviceAccount' &&
    !cluster.authMetadata.serviceAccountToken &&
    environment.hasServiceAccount()
  );
}

const base64 = (pem: string) => Buffer.from(pem).toString('base64');

/** A KubeConfig whose current cluster and user are this cluster and credential. */
export async function kubeConfigOf(
  cluster: ClusterDetails,
  credential: KubernetesCredential,
  environment: InClusterEnvironment = podEnvironment,
): Promise<KubeConfig> {
  const inCluster = usesInClusterApi(cluster, environment)
    ? await environment.api()
    : undefined;
  const { KubeConfig } = await clientNode();
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    {
      name: cluster.name,
      server: inCluster?.server ?? cluster.url,
      ...(inCluster
        ? { caFile: inCluster.caFile }
        : { caData: cluster.caData, caFile: cluster.caFile }),
      skipTLSVerify: cluster.skipTLSVerify === true,
    },
    {
      name: 'traffic-path',
      ...(credential.type === 'bearer token'
        ? { token: credential.token }
        : {}),
      ...(credential.type === 'x509 client certificate'
        ? { certData: base64(credential.cert), keyData: base64(credential.key) }
        : {}),
    },
  );
  return kc;
}

/** One kept-alive agent per cluster and TLS identity (the client certificate, if any). */
export function agentCache() {
  const agents = new Map<string, Agent>();
  return (cluster: ClusterDetails, credential: KubernetesCredential): Agent => {
    const key = `${cluster.name}|${cluster.url}|${
      credential.type === 'x509 client certificate' ? credential.cert : ''
    }`;
    let agent = agents.get(key);
    if (!agent) {
      agent = new Agent({ keepAlive: true, maxSockets: 32 });
      agents.set(key, agent);
    }
    return agent;
  };
}
