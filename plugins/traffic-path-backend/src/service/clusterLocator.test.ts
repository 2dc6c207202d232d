import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { clientTokenFor, createClusterLocator } from './clusterLocator';
import {
  ClusterInfo,
  KubernetesBackendClient,
} from './kubernetesBackendClient';

function clientListing(clusters: ClusterInfo[]) {
  let asked = 0;
  let failNext = false;
  const client: KubernetesBackendClient = {
    async clusters() {
      asked += 1;
      if (failNext) {
        failNext = false;
        throw new Error('the Kubernetes backend did not answer');
      }
      return clusters;
    },
    readMany: async () => [],
  };
  return {
    client,
    asked: () => asked,
    failNext: () => {
      failNext = true;
    },
  };
}

const clusters = [{ name: 'prod' }, { name: 'staging' }];
const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', annotations },
});

describe('createClusterLocator', () => {
  it('keeps the cluster list per principal, and asks once for concurrent requests', async () => {
    const { client, asked } = clientListing(clusters);
    const locator = createClusterLocator({
      client,
      serviceLocatorMethod: 'multiTenant',
      ttlMs: 10_000,
    });
    const ann = mockCredentials.user('user:default/ann');
    await Promise.all([locator.clusters(ann), locator.clusters(ann)]);
    expect(asked()).toBe(1);
    await locator.clusters(mockCredentials.user('user:default/bob'));
    expect(asked()).toBe(2);
  });

  it('does not keep a failure', async () => {
    const { client, asked, failNext } = clientListing(clusters);
    const locator = createClusterLocator({
      client,
      serviceLocatorMethod: 'multiTenant',
      ttlMs: 10_000,
    });
    failNext();
    await expect(locator.clusters(mockCredentials.user())).rejects.toThrow(
      'did not answer',
    );
    expect(await locator.clusters(mockCredentials.user())).toEqual(clusters);
    expect(asked()).toBe(2);
  });

  it('asks every time with a TTL of 0', async () => {
    const { client, asked } = clientListing(clusters);
    const locator = createClusterLocator({
      client,
      serviceLocatorMethod: 'multiTenant',
      ttlMs: 0,
    });
    await locator.clusters(mockCredentials.user());
    await locator.clusters(mockCredentials.user());
    expect(asked()).toBe(2);
  });

  it('chooses the clusters as the Kubernetes backend locator method does', () => {
    const locator = (method: string) =>
      createClusterLocator({
        client: clientListing(clusters).client,
        serviceLocatorMethod: method,
        ttlMs: 0,
      });
    const pinned = entity({
      'backstage.io/kubernetes-id': 'web',
      'backstage.io/kubernetes-cluster': 'staging',
    });
    expect(locator('multiTenant').clustersOf(pinned, clusters)).toEqual(
      clusters,
    );
    expect(locator('singleTenant').clustersOf(pinned, clusters)).toEqual([
      { name: 'staging' },
    ]);
  });
});

describe('clientTokenFor', () => {
  it('takes the token of the cluster provider, and of its OIDC token provider', () => {
    const auth = { google: 'g-token', oidc: { okta: 'okta-token' } };
    expect(clientTokenFor({ name: 'a', authProvider: 'google' }, auth)).toBe(
      'g-token',
    );
    expect(
      clientTokenFor(
        { name: 'b', authProvider: 'oidc', oidcTokenProvider: 'okta' },
        auth,
      ),
    ).toBe('okta-token');
    expect(
      clientTokenFor({ name: 'c', authProvider: 'serviceAccount' }, auth),
    ).toBeUndefined();
    expect(
      clientTokenFor({ name: 'd', authProvider: 'oidc' }, auth),
    ).toBeUndefined();
  });
});
