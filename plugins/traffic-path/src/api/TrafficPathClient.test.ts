/*
 * The client passes the user's client-side cluster tokens exactly as the
 * Kubernetes plugin does: one auth provider at a time, into `auth`.
 */
import { TrafficPathClient } from './TrafficPathClient';
import { entity } from '../__testUtils__/scenarios';

describe('TrafficPathClient', () => {
  it('asks the auth providers of the clusters for tokens and sends them with the entity ref', async () => {
    const fetch = jest.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response(
          JSON.stringify({
            entityRef: 'component:default/app1',
            configured: true,
            clusters: [],
          }),
          { status: 200 },
        ),
    );
    const providers: string[] = [];
    const client = new TrafficPathClient({
      discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
      fetchApi: { fetch: fetch as never },
      kubernetesApi: {
        getClusters: async () => [
          { name: 'gke', authProvider: 'google' },
          { name: 'eks', authProvider: 'serviceAccount' },
          { name: 'corp', authProvider: 'oidc', oidcTokenProvider: 'okta' },
          { name: 'corp-2', authProvider: 'oidc', oidcTokenProvider: 'okta' },
        ],
      } as never,
      kubernetesAuthProvidersApi: {
        decorateRequestBodyForAuth: async (
          provider: string,
          body: { auth?: Record<string, unknown> },
        ) => {
          providers.push(provider);
          if (provider === 'google')
            return { ...body, auth: { ...body.auth, google: 'google-token' } };
          if (provider === 'oidc.okta')
            return {
              ...body,
              auth: { ...body.auth, oidc: { okta: 'okta-token' } },
            };
          return body;
        },
      } as never,
    });
    const answer = await client.getRoutes({
      entity: entity('app1'),
      clientIp: '203.0.113.7',
    });
    expect(answer.entityRef).toBe('component:default/app1');
    expect(providers).toEqual(['google', 'serviceAccount', 'oidc.okta']);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backend/api/traffic-path/v1/routes');
    expect(JSON.parse(init!.body as string)).toEqual({
      entityRef: 'component:default/app1',
      clientIp: '203.0.113.7',
      auth: { google: 'google-token', oidc: { okta: 'okta-token' } },
    });
    await client.getRoutes({ entity: entity('app1'), refresh: true });
    expect(JSON.parse(fetch.mock.calls[1][1]!.body as string)).toMatchObject({
      entityRef: 'component:default/app1',
      refresh: true,
    });
  });

  it('turns an error answer into an error with the backend message', async () => {
    const client = new TrafficPathClient({
      discoveryApi: {
        getBaseUrl: async () => 'http://backend/api/traffic-path',
      },
      fetchApi: {
        fetch: (async () =>
          new Response(
            JSON.stringify({
              error: {
                name: 'NotAllowedError',
                message: 'Traffic Path needs the permission kubernetes.proxy',
              },
            }),
            {
              status: 403,
              statusText: 'Forbidden',
              headers: { 'Content-Type': 'application/json' },
            },
          )) as never,
      },
      kubernetesApi: { getClusters: async () => [] } as never,
      kubernetesAuthProvidersApi: {
        decorateRequestBodyForAuth: async (_p: string, b: unknown) => b,
      } as never,
    });
    await expect(client.getRoutes({ entity: entity('app1') })).rejects.toThrow(
      'Traffic Path needs the permission kubernetes.proxy',
    );
  });
});
