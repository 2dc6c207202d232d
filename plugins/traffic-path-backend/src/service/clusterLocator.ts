/*
 * Locate: the clusters of an entity, as the Kubernetes backend's service
 * locators choose them from its cluster list, and the client-side token
 * of each. The cluster list is kept briefly in process, per principal
 * (catalog-based cluster suppliers may answer each user differently), so
 * that a warm request does not pay an HTTP round trip for it.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { LRUCache } from 'lru-cache';
import { locateClusters, ServiceLocatorMethod } from './entitySelection';
import { principalKey } from './identity';
import {
  ClusterInfo,
  KubernetesBackendClient,
} from './kubernetesBackendClient';

/** Client-side tokens, as the Kubernetes plugin's frontend auth providers give them. */
export type ClientAuth = {
  oidc?: Record<string, string>;
  [provider: string]: unknown;
};

export type ClusterLocator = {
  /** The Kubernetes backend's clusters, as this principal may see them. */
  clusters(credentials: BackstageCredentials): Promise<ClusterInfo[]>;
  /** The entity's clusters among them. */
  clustersOf(entity: Entity, clusters: ClusterInfo[]): ClusterInfo[];
};

export function createClusterLocator(deps: {
  client: KubernetesBackendClient;
  serviceLocatorMethod: ServiceLocatorMethod;
  /** How long a cluster list is kept; 0 asks every time. */
  ttlMs: number;
}): ClusterLocator {
  // lru-cache's fetch shares one call among concurrent askers and does not keep failures.
  const lists =
    deps.ttlMs > 0
      ? new LRUCache<string, ClusterInfo[], BackstageCredentials>({
          max: 1000,
          ttl: deps.ttlMs,
          fetchMethod: (_key, _stale, { context }) =>
            deps.client.clusters(context),
        })
      : undefined;
  return {
    async clusters(credentials) {
      if (!lists) return deps.client.clusters(credentials);
      return (await lists.fetch(principalKey(credentials), {
        context: credentials,
      }))!;
    },
    clustersOf: (entity, clusters) =>
      locateClusters(entity, clusters, deps.serviceLocatorMethod),
  };
}

/** The client-side token for a cluster, from what the frontend sent. */
export function clientTokenFor(
  cluster: ClusterInfo,
  auth: ClientAuth | undefined,
): string | undefined {
  if (!auth || !cluster.authProvider) return undefined;
  if (cluster.authProvider === 'oidc')
    return cluster.oidcTokenProvider
      ? auth.oidc?.[cluster.oidcTokenProvider]
      : undefined;
  const token = auth[cluster.authProvider];
  return typeof token === 'string' ? token : undefined;
}
