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
import {
  DemoCluster,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import { AddressInfo } from 'node:net';
import { routeWatch, WatchEvent } from '@internal/plugin-traffic-path-node';
import request from 'supertest';
import kubernetesModuleTrafficPath from './index';
import { scenarioObjects } from './__testUtils__/scenarioObjects';

// The Kubernetes backend loads its client lazily: seconds, once.
jest.setTimeout(30_000);

const root = resolve(__dirname, '../../..');
let cluster: DemoCluster;

async function start(
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  trafficPath?: object,
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
          ...(trafficPath ? { trafficPath } : {}),
        },
      }),
      ...(permission
        ? [mockServices.permissions.factory({ result: permission })]
        : []),
    ],
  });
}

async function waitFor(check: () => boolean) {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 10));
  }
}

const lists = (backend: TestBackend, body: object) =>
  request(backend.server)
    .post('/api/kubernetes/traffic-path/v1/lists')
    .set('Authorization', mockCredentials.user.header())
    .send(body);

beforeAll(async () => {
  cluster = await startDemoCluster({
    objects: scenarioObjects(join(root, 'test/scenarios/seed-004/cluster')),
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

  it('keeps only what the live model keeps of each object when asked to trim', async () => {
    const res = await lists(backend, {
      cluster: 'demo',
      reads: [{ path: '/api/v1/namespaces/app/pods', kind: 'Pod', trim: true }],
    });
    const [pods] = res.body.results;
    expect(pods.status).toBe(200);
    expect(pods.body.items.length).toBeGreaterThan(0);
    for (const pod of pods.body.items) {
      expect(
        Object.keys(pod.spec).every(k =>
          ['nodeName', 'hostNetwork', 'containers'].includes(k),
        ),
      ).toBe(true);
      expect(pod.metadata.managedFields).toBeUndefined();
    }
  });

  it('reads one page at a time for a caller that pages, with the token of the next', async () => {
    const page = (token?: string) =>
      lists(backend, {
        cluster: 'demo',
        reads: [
          {
            path: '/api/v1/pods',
            kind: 'Pod',
            pageSize: 2,
            page: token ? { continue: token } : {},
          },
        ],
      }).then(res => res.body.results[0]);
    const first = await page();
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.metadata.resourceVersion).toMatch(/^\d+$/);
    const second = await page(first.body.metadata.continue);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.items[0].metadata.name).not.toBe(
      first.body.items[0].metadata.name,
    );
  });

  it("asks the API server for the next page while it answers this one, for the same reader's next request only", async () => {
    const page = (token?: string, clientToken?: string) => {
      const req = lists(backend, {
        cluster: 'demo',
        reads: [
          {
            path: '/api/v1/pods',
            kind: 'Pod',
            pageSize: 2,
            trim: true,
            page: token ? { continue: token } : {},
          },
        ],
      });
      return (
        clientToken
          ? req.set(
              'Backstage-Kubernetes-Authorization',
              `Bearer ${clientToken}`,
            )
          : req
      ).then(res => res.body.results[0]);
    };
    // Earlier tests read the same pages of the same cluster: only this test's requests count.
    const before = cluster.requests.length;
    const asked = (token: string) =>
      cluster.requests
        .slice(before)
        .filter(
          r =>
            r.path === '/api/v1/pods' &&
            new URLSearchParams(r.query).get('continue') === token,
        ).length;
    const first = await page();
    const token = first.body.metadata.continue;
    // Fetched ahead, before the caller asks for it.
    await waitFor(() => asked(token) === 1);

    // Another credential gets no page read with the cluster's: its own request is refused.
    expect(await page(token, 'not-the-token')).toMatchObject({ status: 401 });
    expect(asked(token)).toBe(2);

    const second = await page(token);
    expect(asked(token)).toBe(2);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.items[0].metadata.name).not.toBe(
      first.body.items[0].metadata.name,
    );
    // Handed out once: the same page asked again is read again.
    await page(token);
    expect(asked(token)).toBe(3);
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
      'paging of its own (the module pages)',
      { cluster: 'demo', reads: [{ path: '/api/v1/pods?limit=1' }] },
      400,
    ],
    [
      'a page larger than the module allows',
      {
        cluster: 'demo',
        reads: [{ path: '/api/v1/pods', pageSize: 10_001 }],
      },
      400,
    ],
    [
      'too many reads',
      {
        cluster: 'demo',
        reads: Array.from({ length: 51 }, () => ({ path: '/api/v1/pods' })),
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

describe('POST /api/kubernetes/traffic-path/v1/watch', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await start();
  });
  afterAll(() => backend?.stop());

  const watchUrl = () =>
    `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api/kubernetes/traffic-path/v1/watch`;

  it("streams a watch from a list's version with the cluster's credentials", async () => {
    const listed = await lists(backend, {
      cluster: 'demo',
      reads: [{ path: '/api/v1/namespaces/app/services', kind: 'Service' }],
    });
    const version = listed.body.results[0].body.metadata.resourceVersion;
    expect(version).toMatch(/^\d+$/);
    const watch = routeWatch(
      watchUrl(),
      async () => ({ Authorization: mockCredentials.service.header() }),
      { cluster: 'demo' },
    );
    const stop = new AbortController();
    const events: WatchEvent[] = [];
    const seen = (async () => {
      for await (const e of watch(
        { path: '/api/v1/namespaces/app/services', kind: 'Service' },
        {
          resourceVersion: version,
          signal: stop.signal,
          timeoutSeconds: 30,
          idleMs: 10_000,
        },
      )) {
        events.push(e);
        if (events.length === 2) stop.abort();
      }
    })().catch(() => {});
    const svc = listed.body.results[0].body.items[0];
    await new Promise(r => setTimeout(r, 200));
    cluster.apply([
      { ...svc, metadata: { ...svc.metadata, labels: { changed: 'yes' } } },
    ]);
    cluster.remove([
      { kind: 'Service', namespace: 'app', name: svc.metadata.name },
    ]);
    await seen;
    expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['MODIFIED', svc.metadata.name],
      ['DELETED', svc.metadata.name],
    ]);
    cluster.apply([svc]);
  });

  it('refuses a watch of a path that is no list, and passes a 410 on', async () => {
    const res = await request(backend.server)
      .post('/api/kubernetes/traffic-path/v1/watch')
      .set('Authorization', mockCredentials.service.header())
      .send({
        cluster: 'demo',
        path: '/api/v1/namespaces/app/pods/x/log',
        resourceVersion: '1',
        timeoutSeconds: 5,
      });
    expect(res.status).toBe(400);
    const old = await request(backend.server)
      .post('/api/kubernetes/traffic-path/v1/watch')
      .set('Authorization', mockCredentials.service.header())
      .send({
        cluster: 'demo',
        path: '/api/v1/services',
        resourceVersion: '1',
        timeoutSeconds: 5,
      });
    expect(old.status).toBe(200);
    expect(JSON.parse(old.text.trim())).toMatchObject({
      type: 'ERROR',
      object: { code: 410 },
    });
  });
});

describe('GET /api/kubernetes/traffic-path/v1/capabilities', () => {
  it('says what the lists route takes, with the configured page size and bound', async () => {
    const backend = await start(undefined, {
      reads: { pageSize: 2, maxMegabytes: 8 },
    });
    try {
      const res = await request(backend.server)
        .get('/api/kubernetes/traffic-path/v1/capabilities')
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        lists: {
          version: 1,
          maxReads: 50,
          pageSize: 2,
          maxBytes: 8 * 1024 * 1024,
          watch: true,
        },
      });
    } finally {
      await backend.stop();
    }
  });
});

describe('paging and bounds', () => {
  it('reads a list in full through pages of the configured size', async () => {
    const backend = await start(undefined, { reads: { pageSize: 2 } });
    try {
      const before = cluster.requests.length;
      const res = await lists(backend, {
        cluster: 'demo',
        reads: [{ path: '/api/v1/namespaces/app/pods', kind: 'Pod' }],
      });
      const [pods] = res.body.results;
      const all = (
        await lists(backend, {
          cluster: 'demo',
          reads: [{ path: '/api/v1/pods' }],
        })
      ).body.results[0].body.items.filter(
        (p: any) => p.metadata.namespace === 'app',
      );
      expect(pods.status).toBe(200);
      expect(pods.body.items.length).toBe(all.length);
      expect(pods.body.items.every((p: any) => p.kind === 'Pod')).toBe(true);
      const pages = cluster.requests
        .slice(before)
        .filter(r => r.path === '/api/v1/namespaces/app/pods');
      expect(pages.length).toBe(Math.ceil(all.length / 2));
      expect(pages.every(r => r.query.includes('limit=2'))).toBe(true);
    } finally {
      await backend.stop();
    }
  });

  it('answers a read beyond the bound with an error that names the bound', async () => {
    const backend = await start(undefined, {
      reads: { maxMegabytes: 0.001 },
    });
    try {
      const res = await lists(backend, {
        cluster: 'demo',
        reads: [
          { path: '/api/v1/pods' },
          { path: '/api/v1/namespaces/kube-system/configmaps' },
        ],
      });
      expect(res.body.results[0]).toEqual({
        status: 0,
        problem: 'too-large',
        error: 'an answer larger than 1049 bytes, the bound of one read',
      });
    } finally {
      await backend.stop();
    }
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
