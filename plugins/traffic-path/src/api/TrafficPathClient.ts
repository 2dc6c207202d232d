/*
 * Calls the backend's routes API. Clusters with client-side auth providers
 * (google, oidc, …) get the user's tokens exactly as the Kubernetes plugin
 * collects them: through the Kubernetes auth providers API, one provider at
 * a time, into the request body's `auth`.
 */
import { stringifyEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  KubernetesApi,
  KubernetesAuthProvidersApi,
} from '@backstage/plugin-kubernetes-react';
import { EntityRoutes } from '@internal/plugin-traffic-path-common';
import { RoutesRequest, TrafficPathApi } from './TrafficPathApi';

export class TrafficPathClient implements TrafficPathApi {
  constructor(
    private readonly deps: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      kubernetesApi: KubernetesApi;
      kubernetesAuthProvidersApi: KubernetesAuthProvidersApi;
    },
  ) {}

  /** The client-side tokens the entity's clusters need, as the Kubernetes plugin gathers them. */
  private async clientAuth(
    request: RoutesRequest,
  ): Promise<Record<string, unknown>> {
    const clusters = await this.deps.kubernetesApi.getClusters();
    const providers = [
      ...new Set(
        clusters.map(c =>
          c.authProvider === 'oidc' && c.oidcTokenProvider
            ? `oidc.${c.oidcTokenProvider}`
            : c.authProvider,
        ),
      ),
    ];
    let body: {
      entity: RoutesRequest['entity'];
      auth?: Record<string, unknown>;
    } = { entity: request.entity, auth: {} };
    for (const provider of providers) {
      body =
        (await this.deps.kubernetesAuthProvidersApi.decorateRequestBodyForAuth(
          provider,
          body as never,
        )) as typeof body;
    }
    return body.auth ?? {};
  }

  async getRoutes(request: RoutesRequest): Promise<EntityRoutes> {
    const base = await this.deps.discoveryApi.getBaseUrl('traffic-path');
    const auth = await this.clientAuth(request);
    const response = await this.deps.fetchApi.fetch(`${base}/v1/routes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        entityRef: stringifyEntityRef(request.entity),
        ...(request.clientIp ? { clientIp: request.clientIp } : {}),
        ...(request.refresh ? { refresh: true } : {}),
        auth,
      }),
    });
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      // Say what the backend said (e.g. which permission is missing), not only the status.
      const detail = error.body?.error?.message;
      if (detail) error.message = `${detail} (HTTP ${response.status})`;
      throw error;
    }
    return (await response.json()) as EntityRoutes;
  }
}
