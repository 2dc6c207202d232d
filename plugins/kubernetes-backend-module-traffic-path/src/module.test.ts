/*
 * The batch-read route inside the real Kubernetes backend, against a demo
 * cluster: it reads lists, and only lists, with the backend's own clusters,
 * credentials and permissions.
 */
import { join, resolve } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { loadInputs } from '@internal/traffic-path-cli';
import {
  DemoCluster,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import request from 'supertest';
import kubernetesModuleTrafficPath from './index';

// The Kubernetes backend loads its client lazily: seconds, once.
jest.setTimeout(30_000);

const root = resolve(__dirname, '../../..');
let cluster: DemoCluster;

async function start(
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
): Promise<TestBackend> {
  return startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      mockServices.rootConfig.factory({
        data: {
          kubernetes: kubernetesConfigFor([
            {
              name: 'demo',
              url: cluster.url,
              certificate: cluster.certificate,
              token: 'batch',
            },
          ]),
        },
      }),
      ...(permission
        ? [mockServices.permissions.factory({ result: permission })]
        : []),
    ],
  });
}

const lists = (backend: TestBackend, body: object) =>
  request(backend.server)
    .post('/api/kubernetes/traffic-path/v1/lists')
    .set('Authorization', mockCredentials.user.header())
    .send(body);

beforeAll(async () => {
  cluster = await startDemoCluster({
    objects: loadInputs([join(root, 'test/scenarios/seed-004/cluster')])
      .objects,
    token: 'batch',
  });
});
afterAll(() => cluster?.close());

describe('POST /api/kubernetes/traffic-path/v1/lists', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await start();
  });
  afterAll(() => backend?.stop());

  it('reads several lists of one cluster in one request, each with its own status', async () => {
    const before = cluster.requests.length;
    const res = await lists(backend, {
      cluster: 'demo',
      reads: [
        { path: '/api/v1/services' },
        { path: '/api/v1/namespaces/app/pods?labelSelector=app%3Dapp1' },
        { path: '/apis/example.com/v1/widgets' },
      ],
    });
    expect(res.status).toBe(200);
    const [services, pods, missing] = res.body.results;
    expect(services.status).toBe(200);
    expect(services.body.items.map((s: any) => s.metadata.name)).toContain(
      'app1-service',
    );
    expect(pods.body.items.map((p: any) => p.metadata.name)).toEqual([
      'app1-7d9c5b8f6-k2x8p',
      'app1-7d9c5b8f6-m4n7q',
    ]);
    expect(missing).toMatchObject({
      status: 404,
      body: { kind: 'Status', code: 404 },
    });
    expect(cluster.requests.length - before).toBe(3);
    // The Kubernetes backend's own routes still answer.
    expect(
      (
        await request(backend.server)
          .get('/api/kubernetes/clusters')
          .set('Authorization', mockCredentials.user.header())
      ).status,
    ).toBe(200);
  });

  it('passes a client-side token on instead of the cluster credentials', async () => {
    const res = await lists(backend, {
      cluster: 'demo',
      reads: [{ path: '/api/v1/nodes' }],
    }).set('Backstage-Kubernetes-Authorization', 'Bearer not-the-token');
    expect(res.body.results[0]).toMatchObject({ status: 401 });
  });

  it.each([
    [
      'another host',
      { cluster: 'demo', reads: [{ path: 'https://example.com/api/v1/pods' }] },
      400,
    ],
    [
      'a path outside the API',
      { cluster: 'demo', reads: [{ path: '/version/../api' }] },
      400,
    ],
    [
      'an encoded traversal',
      { cluster: 'demo', reads: [{ path: '/api/%2e%2e/%2E%2E/version' }] },
      400,
    ],
    [
      'a pod log stream',
      {
        cluster: 'demo',
        reads: [
          {
            path: '/api/v1/namespaces/app/pods/app1-7d9c5b8f6-k2x8p/log?follow=true',
          },
        ],
      },
      400,
    ],
    [
      'the proxy subresource of a Service',
      {
        cluster: 'demo',
        reads: [
          { path: '/api/v1/namespaces/app/services/app1-service/proxy/admin' },
        ],
      },
      400,
    ],
    [
      'a watch',
      { cluster: 'demo', reads: [{ path: '/api/v1/pods?watch=true' }] },
      400,
    ],
    [
      'too many reads',
      {
        cluster: 'demo',
        reads: Array.from({ length: 21 }, () => ({ path: '/api/v1/pods' })),
      },
      400,
    ],
    [
      'an unknown cluster',
      { cluster: 'prod', reads: [{ path: '/api/v1/pods' }] },
      404,
    ],
  ])('refuses %s', async (_what, body, status) => {
    const res = await lists(backend, body);
    expect(res.status).toBe(status);
  });
});

describe('permissions', () => {
  it('answers 403 when the Kubernetes permissions are denied', async () => {
    const backend = await start(AuthorizeResult.DENY);
    try {
      const res = await lists(backend, {
        cluster: 'demo',
        reads: [{ path: '/api/v1/services' }],
      });
      expect(res.status).toBe(403);
    } finally {
      await backend.stop();
    }
  });
});
