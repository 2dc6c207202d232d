/*
 * The Kubernetes backend as Traffic Path reads clusters through it: its
 * cluster list (its cluster locators) and its proxy (its auth strategies,
 * server-side, or the client-side token the frontend passes on). Calls are
 * made on behalf of the user, so the Kubernetes plugin's permissions apply.
 */
import { AuthService, BackstageCredentials, DiscoveryService } from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { acceptHeader, KubeObject } from '@internal/plugin-traffic-path-common';

export type ClusterInfo = { name: string; authProvider?: string; oidcTokenProvider?: string };

/** A failed call to a cluster, with what the user needs to know. */
export class ClusterCallError extends Error {
  constructor(message: string, readonly status?: number, readonly badBody = false) {
    super(message);
    this.name = 'ClusterCallError';
  }
}

export type ListResult = { objects: KubeObject[]; kind: string };

export type KubernetesGateway = {
  clusters(credentials: BackstageCredentials): Promise<ClusterInfo[]>;
  /** Lists objects at an API path (`/api/v1/nodes`) of one cluster. */
  list(cluster: string, path: string, options: { credentials: BackstageCredentials; clientToken?: string; signal?: AbortSignal; metadataOnly?: boolean }): Promise<ListResult>;
};

function statusMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'message' in body && typeof (body as { message: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return fallback;
}

export function createKubernetesGateway(deps: { discovery: DiscoveryService; auth: AuthService }): KubernetesGateway {
  const { discovery, auth } = deps;
  const headers = async (credentials: BackstageCredentials) => {
    const { token } = await auth.getPluginRequestToken({ onBehalfOf: credentials, targetPluginId: 'kubernetes' });
    return { Authorization: `Bearer ${token}` };
  };
  return {
    async clusters(credentials) {
      const base = await discovery.getBaseUrl('kubernetes');
      const res = await fetch(`${base}/clusters`, { headers: await headers(credentials) }).catch(e => {
        throw new ServiceUnavailableError(`the Kubernetes backend did not answer: ${e.message}`);
      });
      if (res.status === 401 || res.status === 403) throw new NotAllowedError(`the Kubernetes backend refused to list clusters (${res.status})`);
      if (!res.ok) throw new ServiceUnavailableError(`the Kubernetes backend could not list clusters (${res.status})`);
      const body = (await res.json()) as { items?: ClusterInfo[] };
      return (body.items ?? []).map(c => ({ name: c.name, authProvider: c.authProvider, oidcTokenProvider: c.oidcTokenProvider }));
    },
    async list(cluster, path, { credentials, clientToken, signal, metadataOnly }) {
      const base = await discovery.getBaseUrl('kubernetes');
      const res = await fetch(`${base}/proxy${path}`, {
        signal,
        headers: {
          ...(await headers(credentials)),
          'Backstage-Kubernetes-Cluster': cluster,
          ...(clientToken ? { 'Backstage-Kubernetes-Authorization': `Bearer ${clientToken}` } : {}),
          // For Secrets: names only, their data never leaves the cluster.
          Accept: acceptHeader({ path, kind: '', metadataOnly }),
        },
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        if (!res.ok) throw new ClusterCallError(`cluster ${cluster} answered ${path} with ${res.status}: ${text.slice(0, 200) || res.statusText}`, res.status);
        throw new ClusterCallError(`cluster ${cluster} answered ${path} with a body that is not JSON (HTTP ${res.status})`, res.status, true);
      }
      if (!res.ok) {
        throw new ClusterCallError(`cluster ${cluster} answered ${path} with ${res.status}: ${statusMessage(body, res.statusText)}`, res.status);
      }
      const list = body as { kind?: string; items?: unknown };
      if (!Array.isArray(list.items)) throw new ClusterCallError(`cluster ${cluster} answered ${path} with something that is not a list`, res.status, true);
      const itemKind = typeof list.kind === 'string' && list.kind.endsWith('List') ? list.kind.slice(0, -4) : '';
      // Typed lists leave kind out of their items: put it back.
      const objects = (list.items as KubeObject[]).map(o => (o && typeof o === 'object' && !o.kind && itemKind ? { ...o, kind: itemKind } : o));
      return { objects, kind: itemKind };
    },
  };
}
