import { mockCredentials } from '@backstage/backend-test-utils';
import { ClusterRead, KubeObject } from '@internal/plugin-traffic-path-common';
import { ReadError, ReadOutcome } from '@internal/plugin-traffic-path-node';
import { createClusterFetcher, mergeBatches } from './clusterFetcher';
import { KubernetesBackendClient } from './kubernetesBackendClient';

const options = { credentials: mockCredentials.user() };

/** A client that answers every read with the objects of its kind, or the given failure. */
function clientWith(
  objects: KubeObject[],
  failures: Record<string, ReadError> = {},
) {
  const asked: ClusterRead[][] = [];
  const client: KubernetesBackendClient = {
    clusters: async () => [],
    async readMany(_cluster, reads) {
      asked.push(reads);
      return reads.map((read): ReadOutcome<KubeObject> => {
        const failure = failures[read.path];
        if (failure) return { error: failure };
        return {
          objects: objects.filter(o => o.kind === read.kind),
          pages: read.kind === 'Pod' ? 3 : 1,
        };
      });
    },
  };
  return { client, asked };
}

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
};

describe('createClusterFetcher', () => {
  it('reads the snapshot in one round, counting the pages it took', async () => {
    const { client, asked } = clientWith([service]);
    const batch = await createClusterFetcher({
      client,
      secrets: false,
    }).snapshot('prod', options);
    expect(asked).toHaveLength(1);
    const reads = asked[0];
    expect(batch.objects).toEqual([service]);
    expect(batch.listedKinds).toEqual(
      expect.arrayContaining(['Service', 'Namespace', 'NetworkPolicy']),
    );
    expect(batch.warnings).toEqual([]);
    // The two controller-pod reads take 3 pages each here.
    expect(batch.calls).toBe(reads.length + 4);
    expect(reads.some(r => r.kind === 'Secret')).toBe(false);
  });

  it('reads Secret names only when asked to', async () => {
    const { client, asked } = clientWith([]);
    await createClusterFetcher({ client, secrets: true }).snapshot(
      'prod',
      options,
    );
    expect(asked[0].find(r => r.kind === 'Secret')).toMatchObject({
      metadataOnly: true,
    });
  });

  it('words a failed optional read as a warning, and says nothing of a CRD the cluster lacks', async () => {
    const { client } = clientWith([service], {
      '/api/v1/nodes': new ReadError(
        '/api/v1/nodes',
        'status',
        'forbidden',
        403,
      ),
      '/apis/networking.istio.io/v1/virtualservices': new ReadError(
        '/apis/networking.istio.io/v1/virtualservices',
        'status',
        'the server could not find the requested resource',
        404,
      ),
    });
    const batch = await createClusterFetcher({
      client,
      secrets: false,
    }).snapshot('prod', options);
    expect(batch.warnings).toEqual([
      'cluster prod answered /api/v1/nodes with 403: forbidden',
    ]);
    expect(batch.listedKinds).not.toContain('Node');
    expect(batch.listedKinds).not.toContain('VirtualService');
  });

  it('fails the snapshot when Services cannot be read', async () => {
    const { client } = clientWith([], {
      '/api/v1/services': new ReadError(
        '/api/v1/services',
        'status',
        'boom',
        500,
      ),
    });
    await expect(
      createClusterFetcher({ client, secrets: false }).snapshot(
        'prod',
        options,
      ),
    ).rejects.toMatchObject({ path: '/api/v1/services', status: 500 });
  });

  it("reads an entity's pods by its selector, and round 2 by namespace", async () => {
    const { client, asked } = clientWith([]);
    const fetcher = createClusterFetcher({ client, secrets: false });
    await fetcher.entityPods(
      'prod',
      { selector: 'app=web', namespace: 'shop' } as never,
      options,
    );
    await fetcher.namespacePods('prod', ['a', 'b'], options);
    expect(asked.map(reads => reads.map(r => r.path))).toEqual([
      ['/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb'],
      ['/api/v1/namespaces/a/pods', '/api/v1/namespaces/b/pods'],
    ]);
  });
});

describe('mergeBatches', () => {
  it('adds objects, warnings and calls, and keeps the latest time', () => {
    const merged = mergeBatches(
      {
        objects: [service],
        listedKinds: ['Service'],
        warnings: ['w1'],
        calls: 2,
        fetchedAt: 5,
      },
      {
        objects: [],
        listedKinds: ['Service', 'Pod'],
        warnings: [],
        calls: 1,
        fetchedAt: 9,
      },
    );
    expect(merged).toEqual({
      objects: [service],
      listedKinds: ['Service', 'Pod'],
      warnings: ['w1'],
      calls: 3,
      fetchedAt: 9,
    });
  });
});
