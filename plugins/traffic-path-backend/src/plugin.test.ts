/*
 * The plugin in a real backend: the real Kubernetes backend reads demo
 * clusters (real HTTPS Kubernetes API servers over scenario files) for
 * catalog entities, and Traffic Path answers through it.
 *
 * The Kubernetes backend's proxy loads @kubernetes/client-node with a dynamic
 * import(), which Jest's VM cannot run; package.json's `jest.transform`
 * therefore compiles dynamic imports to require() for this package's tests.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DemoCluster,
  DemoClusterEntry,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import Ajv from 'ajv';
import request from 'supertest';
import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import kubernetesModuleTrafficPath from '@internal/plugin-kubernetes-backend-module-traffic-path';
import { snapshotReads } from '@internal/plugin-traffic-path-common';
import { trafficPathPlugin } from './plugin';
import { startDnsServer, TestDnsServer } from './__testUtils__/dnsServer';
import { freePort, startRedis, TestRedis } from './__testUtils__/redisServer';
import { scenarioObjects } from './__testUtils__/scenarioObjects';

// The first request loads the Kubernetes client into the test runtime: seconds, once.
jest.setTimeout(30_000);

const root = resolve(__dirname, '../../..');
const scenarios = join(root, 'test/scenarios');
const token = 'traffic-path-test';

/**
 * The lists of a cold request for one entity of the demo cluster: the
 * snapshot's (core and Gateway API kinds, Namespaces, NetworkPolicies, the
 * CRD kinds the cluster may lack) and the entity's pods. Each list fits one
 * page here.
 */
const COLD_READS = snapshotReads({ secrets: false }).length + 1;

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/platform-team',
  },
});

const entities = [
  component('app1', { 'backstage.io/kubernetes-id': 'app1' }),
  component('app3', { 'backstage.io/kubernetes-label-selector': 'app=app3' }),
  // Labels only on the pods: the Service is found by its pod selector.
  component('shop-web', {
    'backstage.io/kubernetes-label-selector': 'app=web',
  }),
  component('docs-site', {}),
  component('bad-selector', {
    'backstage.io/kubernetes-label-selector': 'app in (web',
  }),
];

/** A demo cluster as the Kubernetes backend sees it: server-side token, unless a client-side provider is named. */
type ClusterSpec = Omit<DemoClusterEntry, 'token'>;

const kubernetesConfig = (clusters: ClusterSpec[]) =>
  kubernetesConfigFor(clusters.map(c => ({ ...c, token })));

async function startBackend(options: {
  clusters: ClusterSpec[];
  trafficPath?: JsonObject;
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** `backend.cache` config, with the real cache service factory (Redis). */
  cache?: JsonObject;
  /** Without the Traffic Path module of the Kubernetes backend: reads go through its proxy. */
  proxyOnly?: boolean;
}) {
  return startTestBackend({
    features: [
      kubernetesPlugin,
      ...(options.proxyOnly ? [] : [kubernetesModuleTrafficPath]),
      trafficPathPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          ...(options.cache ? { backend: { cache: options.cache } } : {}),
          kubernetes: kubernetesConfig(options.clusters),
          trafficPath: {
            clusterTimeoutSeconds: 2,
            cache: { ttlSeconds: 0 },
            // These tests count and fault the reads of each request: request-scoped reads.
            // The live model has its own tests (service/liveModels.test.ts).
            watch: { enabled: false },
            ...options.trafficPath,
          },
        },
      }),
      ...(options.permission
        ? [mockServices.permissions.factory({ result: options.permission })]
        : []),
      ...(options.cache ? [cacheServiceFactory] : []),
    ],
  });
}

const load = (...inputs: string[]) =>
  scenarioObjects(...inputs.map(i => join(scenarios, i)));

type ClusterEntry = {
  cluster: string;
  report?: { routes: any[]; findings: any[]; kubeProxyMode: string };
  warnings?: string[];
  apiCalls?: number;
  error?: { reason: string; message: string; status?: number };
};

const routesOf = (
  backend: TestBackend,
  entityRef: string,
  query: Record<string, string> = {},
) =>
  request(backend.server)
    .get('/api/traffic-path/v1/routes')
    .query({ entityRef, ...query })
    .set('Authorization', mockCredentials.user.header());

const clusterOf = (body: { clusters: ClusterEntry[] }, name: string) =>
  body.clusters.find(c => c.cluster === name)!;
const hop = (route: any, kind: string) =>
  route.hops.find((h: any) => h.kind === kind);

let demo: DemoCluster;
let shop: DemoCluster;

beforeAll(async () => {
  demo = await startDemoCluster({ objects: load('seed-004/cluster'), token });
  shop = await startDemoCluster({
    objects: load(
      '_shared/ingress-nginx.yaml',
      'service-no-ready-endpoints/cluster',
    ),
    token,
  });
});

afterAll(async () => {
  await demo?.close();
  await shop?.close();
});

const bothClusters = () => [
  { name: 'demo', url: demo.url, certificate: demo.certificate },
  { name: 'shop', url: shop.url, certificate: shop.certificate },
];

describe.each([
  ['with the Kubernetes module (one batch request per cluster)', false],
  ['through the Kubernetes proxy alone', true],
])('routes of catalog entities, %s', (_mode, proxyOnly) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend({ clusters: bothClusters(), proxyOnly });
    // The first request of a new backend finds the module, opens connections and compiles
    // the engine: under a full parallel test run that alone can pass the 2 s cluster timeout
    // these tests use, so it is made here rather than by the first test.
    await routesOf(backend, 'component:default/app1');
  });
  afterAll(() => backend?.stop());
  afterEach(() => shop.setFaults([]));

  it('draws app1 from its public domain to its pods, and finds nothing of it in the other cluster', async () => {
    const res = await routesOf(backend, 'component:default/app1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/app1',
      configured: true,
    });
    const demoEntry = clusterOf(res.body, 'demo');
    expect(demoEntry.error).toBeUndefined();
    const route = demoEntry.report!.routes.find(
      r => r.entry.host === 'app1.qas.abc.com',
    );
    expect(route).toMatchObject({
      health: 'healthy',
      backend: { kind: 'Service', namespace: 'app', name: 'app1-service' },
    });
    expect(route.hops.map((h: any) => h.kind)).toEqual([
      'client',
      'dns',
      'load-balancer',
      'node-port',
      'kube-proxy',
      'ingress-controller',
      'ingress',
      'service',
      // NetworkPolicies are read (listed in full): the engine can say none isolates the pods.
      'network-policy',
      'pod',
      'container',
    ]);
    expect(hop(route, 'network-policy')).toMatchObject({ status: 'ok' });
    expect(hop(route, 'load-balancer')).toMatchObject({
      addresses: ['47.100.21.10'],
      exposure: 'public',
      provider: 'alibaba-cloud',
    });
    expect(hop(route, 'pod').endpoints.map((e: any) => e.pod)).toEqual([
      'app1-7d9c5b8f6-k2x8p',
      'app1-7d9c5b8f6-m4n7q',
    ]);
    expect(demoEntry.report!.kubeProxyMode).toBe('ipvs');
    // Only app1's routes: app2 shares the load balancer, not the answer.
    expect(
      demoEntry.report!.routes.every(r => r.backend?.name === 'app1-service'),
    ).toBe(true);
    expect(clusterOf(res.body, 'shop').report!.routes).toEqual([]);
  });

  it('answers in the JSON form documented by docs/report.schema.json', async () => {
    const res = await routesOf(backend, 'component:default/app3', {
      clientIp: '10.17.3.4',
    });
    const schema = JSON.parse(
      readFileSync(join(root, 'docs/report.schema.json'), 'utf8'),
    );
    const validate = new Ajv({ strict: false, allErrors: true }).compile(
      schema,
    );
    for (const entry of res.body.clusters as ClusterEntry[]) {
      expect({
        cluster: entry.cluster,
        valid: validate(entry.report),
        errors: validate.errors ?? null,
      }).toEqual({ cluster: entry.cluster, valid: true, errors: null });
    }
  });

  it('shows app3 behind the internal load balancer with its cloud ACL, and gives a verdict for a client IP', async () => {
    const res = await routesOf(backend, 'component:default/app3', {
      clientIp: '10.17.3.4',
    });
    const route = clusterOf(res.body, 'demo').report!.routes.find(
      r => r.entry.host === 'app3.qas.abc.com',
    );
    const lb = hop(route, 'load-balancer');
    expect(lb).toMatchObject({
      addresses: ['10.17.0.200'],
      exposure: 'internal',
    });
    expect(lb.restrictions).toEqual([
      expect.objectContaining({ visible: false }),
    ]);
    // The ACL's entries live in the cloud account: the verdict cannot be known.
    expect(route.verdict).toMatchObject({
      clientIp: '10.17.3.4',
      allowed: null,
    });
  });

  it('finds the Service of an entity whose labels are only on its pods, and says what is broken', async () => {
    const res = await routesOf(backend, 'component:default/shop-web');
    const entry = clusterOf(res.body, 'shop');
    const route = entry.report!.routes.find(
      r => r.entry.host === 'shop.example.com',
    );
    expect(route).toMatchObject({ health: 'broken', brokenAt: 'pod' });
    expect(entry.report!.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'SERVICE_NO_READY_ENDPOINTS',
          object: { kind: 'Service', namespace: 'shop', name: 'web' },
        }),
      ]),
    );
  });

  it('says which annotation to add to an entity without one', async () => {
    const res = await routesOf(backend, 'component:default/docs-site');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/docs-site',
      configured: false,
      hint: expect.stringContaining('backstage.io/kubernetes-id'),
      clusters: [],
    });
  });

  it.each([
    [
      'an unknown entity',
      { entityRef: 'component:default/nope' },
      404,
      'No entity component:default/nope in the catalog',
    ],
    ['no entityRef', {}, 400, 'entityRef'],
    [
      'a malformed entityRef',
      { entityRef: 'component:' },
      400,
      'is not an entity reference',
    ],
    [
      'a client IP that is not one',
      { entityRef: 'component:default/app1', clientIp: '300.1.2.3' },
      400,
      'not an IPv4 or IPv6 address',
    ],
    [
      'an unknown parameter',
      { entityRef: 'component:default/app1', verbose: 'yes' },
      400,
      'verbose',
    ],
    [
      'an annotation that is not a label selector',
      { entityRef: 'component:default/bad-selector' },
      400,
      'backstage.io/kubernetes-label-selector of component:default/bad-selector',
    ],
  ])(
    'refuses %s with %s',
    async (_what, query: Record<string, string>, status, message) => {
      const res = await request(backend.server)
        .get('/api/traffic-path/v1/routes')
        .query(query)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
    },
  );

  it('accepts an entityRef and an IPv6 client address written unencoded, as people type them in curl', async () => {
    const res = await request(backend.server)
      .get(
        '/api/traffic-path/v1/routes?entityRef=component:default/app1&clientIp=2001:db8::7',
      )
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(clusterOf(res.body, 'demo').report!.routes[0].verdict).toMatchObject(
      { clientIp: '2001:db8::7' },
    );
  });

  it('accepts POST with client-side tokens, and validates its body', async () => {
    const ok = await request(backend.server)
      .post('/api/traffic-path/v1/routes')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRef: 'component:default/app1', auth: {} });
    expect(ok.status).toBe(200);
    const bad = await request(backend.server)
      .post('/api/traffic-path/v1/routes')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRef: 'component:default/app1', extra: true });
    expect(bad.status).toBe(400);
  });

  it('refuses unauthenticated requests', async () => {
    const res = await request(backend.server)
      .get('/api/traffic-path/v1/routes')
      .query({ entityRef: 'component:default/app1' })
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('serves its OpenAPI spec', async () => {
    const res = await request(backend.server)
      .get('/api/traffic-path/openapi.json')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/api/traffic-path/v1/diagram',
      '/api/traffic-path/v1/exposure',
      '/api/traffic-path/v1/exposure/changes',
      '/api/traffic-path/v1/routes',
    ]);
  });

  it('reads lists longer than a page in full, and counts the pages as API calls', async () => {
    const paged = await startBackend({
      clusters: bothClusters(),
      proxyOnly,
      trafficPath: { reads: { pageSize: 2 } },
    });
    try {
      const before = demo.requests.length;
      const [res, whole] = await Promise.all([
        routesOf(paged, 'component:default/app1'),
        routesOf(backend, 'component:default/app1'),
      ]);
      const pages = demo.requests
        .slice(before)
        .filter(r => r.query.includes('limit=2'));
      expect(pages.some(r => r.query.includes('continue='))).toBe(true);
      expect(clusterOf(res.body, 'demo').report).toEqual(
        clusterOf(whole.body, 'demo').report,
      );
      expect(clusterOf(res.body, 'demo').apiCalls).toBe(pages.length);
      expect(pages.length).toBeGreaterThan(COLD_READS);
    } finally {
      await paged.stop();
    }
  });

  it('gives an error entry that names the bound when Services are larger than it', async () => {
    const bounded = await startBackend({
      clusters: bothClusters(),
      proxyOnly,
      trafficPath: { reads: { maxMegabytes: 0.001 } },
    });
    try {
      const res = await routesOf(bounded, 'component:default/app1');
      expect(clusterOf(res.body, 'demo').error).toEqual({
        reason: 'bad-response',
        message:
          'cluster demo answered /api/v1/services with an answer larger than 1049 bytes, the bound of one read (trafficPath.reads.maxMegabytes)',
      });
    } finally {
      await bounded.stop();
    }
  });

  describe('a cluster that fails gives an error entry; the other still answers', () => {
    it.each([
      [
        'forbids the reads',
        [{ path: '.*', status: 403 }],
        { reason: 'forbidden', status: 403 },
      ],
      [
        'fails with 500',
        [{ path: '.*', status: 500 }],
        { reason: 'unreachable', status: 500 },
      ],
      [
        'sends a body that is not JSON',
        [{ path: '^/api/v1/services$', malformed: true }],
        { reason: 'bad-response' },
      ],
      [
        'is slower than the timeout',
        [{ path: '^/api/v1/services$', delayMs: 4000 }],
        { reason: 'timeout' },
      ],
      [
        'never answers',
        [{ path: '^/api/v1/services$', hang: true }],
        { reason: 'timeout' },
      ],
    ])('when it %s', async (_what, faults, error) => {
      shop.setFaults(faults);
      const started = Date.now();
      const res = await routesOf(backend, 'component:default/app1');
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(3500); // the 2 s cluster timeout, not the fault's delay
      expect(clusterOf(res.body, 'shop')).toEqual({
        cluster: 'shop',
        error: expect.objectContaining(error),
      });
      expect(clusterOf(res.body, 'demo').report!.routes.length).toBeGreaterThan(
        0,
      );
    });

    it('keeps the answer when an optional read fails, and says so', async () => {
      shop.setFaults([{ path: '^/api/v1/nodes$', status: 403 }]);
      const res = await routesOf(backend, 'component:default/shop-web');
      const entry = clusterOf(res.body, 'shop');
      expect(entry.report!.routes.length).toBeGreaterThan(0);
      expect(entry.warnings).toEqual([
        expect.stringContaining('/api/v1/nodes with 403'),
      ]);
    });
  });
});

describe('a cluster that is down', () => {
  it('gives an error entry for it and the routes of the others', async () => {
    const backend = await startBackend({
      clusters: [
        ...bothClusters(),
        { name: 'gone', url: `https://127.0.0.1:${await freePort()}` },
      ],
    });
    try {
      const res = await routesOf(backend, 'component:default/app1');
      expect(res.status).toBe(200);
      expect(clusterOf(res.body, 'gone')).toEqual({
        cluster: 'gone',
        error: expect.objectContaining({ reason: 'unreachable' }),
      });
      expect(clusterOf(res.body, 'demo').report!.routes.length).toBeGreaterThan(
        0,
      );
    } finally {
      await backend.stop();
    }
  });
});

describe('permissions', () => {
  it('answers 403 when the Kubernetes permissions are denied', async () => {
    const backend = await startBackend({
      clusters: bothClusters(),
      permission: AuthorizeResult.DENY,
    });
    try {
      const res = await routesOf(backend, 'component:default/app1');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'Traffic Path needs the permissions kubernetes.resources.read and kubernetes.proxy',
      );
    } finally {
      await backend.stop();
    }
  });
});

describe('client-side Kubernetes auth', () => {
  it('passes the token the frontend supplies for an OIDC cluster, and reports a missing one', async () => {
    const backend = await startBackend({
      clusters: [
        {
          name: 'sso',
          url: demo.url,
          certificate: demo.certificate,
          authProvider: 'oidc',
          oidcTokenProvider: 'okta',
        },
      ],
    });
    try {
      const post = (body: object) =>
        request(backend.server)
          .post('/api/traffic-path/v1/routes')
          .set('Authorization', mockCredentials.user.header())
          .send(body);
      const withToken = await post({
        entityRef: 'component:default/app1',
        auth: { oidc: { okta: token } },
      });
      expect(
        clusterOf(withToken.body, 'sso').report!.routes.length,
      ).toBeGreaterThan(0);
      const wrongToken = await post({
        entityRef: 'component:default/app1',
        auth: { oidc: { okta: 'someone-else' } },
      });
      expect(clusterOf(wrongToken.body, 'sso').error).toMatchObject({
        reason: 'unauthorized',
        status: 401,
      });
    } finally {
      await backend.stop();
    }
  });
});

describe('cache and coalescing', () => {
  it('serves many concurrent requests for one entity with one set of cluster reads', async () => {
    const backend = await startBackend({
      clusters: bothClusters(),
      trafficPath: { cache: { ttlSeconds: 30 } },
    });
    try {
      const before = demo.requests.length;
      const answers = await Promise.all(
        Array.from({ length: 25 }, () =>
          routesOf(backend, 'component:default/app1'),
        ),
      );
      expect(answers.every(a => a.status === 200)).toBe(true);
      const reads = demo.requests.slice(before);
      // One snapshot and the entity's pods: bounded by kinds, not by requests or objects.
      expect(reads.length).toBe(COLD_READS);
      expect(new Set(reads.map(r => `${r.path}?${r.query}`)).size).toBe(
        COLD_READS,
      );
      const calls = answers.map(a => clusterOf(a.body, 'demo').apiCalls);
      expect(calls.filter(c => c! > 0)).toEqual([COLD_READS]);

      const again = await routesOf(backend, 'component:default/app1');
      expect(demo.requests.length - before).toBe(COLD_READS);
      expect(clusterOf(again.body, 'demo').apiCalls).toBe(0);
      expect(clusterOf(again.body, 'demo').report).toEqual(
        clusterOf(answers[0].body, 'demo').report,
      );

      // Another entity of the same cluster reuses the snapshot: only its pods are read.
      await routesOf(backend, 'component:default/app3');
      expect(demo.requests.length - before).toBe(COLD_READS + 1);
    } finally {
      await backend.stop();
    }
  });

  it('reads the cluster again on refresh, and the cache then holds what it read', async () => {
    const backend = await startBackend({
      clusters: bothClusters(),
      trafficPath: { cache: { ttlSeconds: 30 } },
    });
    try {
      const cached = await routesOf(backend, 'component:default/app1');
      expect(clusterOf(cached.body, 'demo').warnings).toEqual([]);
      // The cluster changes: its Nodes become unreadable.
      demo.setFaults([{ path: '^/api/v1/nodes$', status: 403 }]);
      const stale = await routesOf(backend, 'component:default/app1');
      expect(clusterOf(stale.body, 'demo')).toMatchObject({
        apiCalls: 0,
        warnings: [],
      });

      const refreshed = await routesOf(backend, 'component:default/app1', {
        refresh: 'true',
      });
      expect(clusterOf(refreshed.body, 'demo')).toMatchObject({
        apiCalls: COLD_READS,
        warnings: [expect.stringContaining('/api/v1/nodes with 403')],
      });
      const after = await routesOf(backend, 'component:default/app1');
      expect(clusterOf(after.body, 'demo')).toMatchObject({
        apiCalls: 0,
        warnings: [expect.stringContaining('/api/v1/nodes with 403')],
      });

      // POST (client-side tokens) takes it in its body.
      demo.setFaults([]);
      const posted = await request(backend.server)
        .post('/api/traffic-path/v1/routes')
        .send({ entityRef: 'component:default/app1', refresh: true })
        .set('Authorization', mockCredentials.user.header());
      expect(clusterOf(posted.body, 'demo')).toMatchObject({
        apiCalls: COLD_READS,
        warnings: [],
      });
      expect(
        (
          await routesOf(backend, 'component:default/app1', {
            refresh: 'maybe',
          })
        ).status,
      ).toBe(400);
    } finally {
      demo.setFaults([]);
      await backend.stop();
    }
  });
});

describe('DNS check', () => {
  let dns: TestDnsServer;
  // The server reads this table on every query: a test can change a record.
  const records: Parameters<typeof startDnsServer>[0] = {
    'app1.qas.abc.com': { A: ['47.100.21.10'] },
    'app3.qas.abc.com': { A: ['192.0.2.80'] },
  };
  beforeAll(async () => {
    dns = await startDnsServer(records);
  });
  afterAll(() => dns.close());

  it('adds DNS_MISMATCH and DNS_UNRESOLVED from the configured resolver, asking only about the routes hosts', async () => {
    const backend = await startBackend({
      clusters: bothClusters(),
      trafficPath: {
        dns: { enabled: true, servers: [dns.server], timeoutSeconds: 1 },
      },
    });
    try {
      const app1 = await routesOf(backend, 'component:default/app1');
      const app1Route = clusterOf(app1.body, 'demo').report!.routes.find(
        r => r.entry.host === 'app1.qas.abc.com',
      );
      expect(hop(app1Route, 'dns')).toMatchObject({
        status: 'ok',
        resolved: ['47.100.21.10'],
      });
      expect(
        clusterOf(app1.body, 'demo').report!.findings.filter(f =>
          f.code.startsWith('DNS_'),
        ),
      ).toEqual([]);

      const app3 = await routesOf(backend, 'component:default/app3');
      expect(clusterOf(app3.body, 'demo').report!.findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: 'DNS_MISMATCH',
            message:
              'app3.qas.abc.com resolves to 192.0.2.80, but its entry point is 10.17.0.200',
          }),
        ]),
      );

      const shopWeb = await routesOf(backend, 'component:default/shop-web');
      expect(clusterOf(shopWeb.body, 'shop').report!.findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: 'DNS_UNRESOLVED',
            message:
              'shop.example.com does not resolve (NXDOMAIN); its entry point is 34.120.10.20',
          }),
        ]),
      );
      expect(new Set(dns.queries.map(q => q.split(' ')[1]))).toEqual(
        new Set(['app1.qas.abc.com', 'app3.qas.abc.com', 'shop.example.com']),
      );
    } finally {
      await backend.stop();
    }
  });

  it('keeps DNS answers for their TTL, and asks again on refresh', async () => {
    const backend = await startBackend({
      clusters: bothClusters(),
      trafficPath: {
        dns: {
          enabled: true,
          servers: [dns.server],
          timeoutSeconds: 1,
          cacheTtlSeconds: 60,
        },
      },
    });
    const codes = (res: { body: { clusters: ClusterEntry[] } }) =>
      clusterOf(res.body, 'demo').report!.findings.map(f => f.code);
    try {
      expect(
        codes(await routesOf(backend, 'component:default/app3')),
      ).toContain('DNS_MISMATCH');
      // The record is fixed: the cached answer still says otherwise, a refresh sees the fix.
      records['app3.qas.abc.com'] = { A: ['10.17.0.200'] };
      expect(
        codes(await routesOf(backend, 'component:default/app3')),
      ).toContain('DNS_MISMATCH');
      expect(
        codes(
          await routesOf(backend, 'component:default/app3', {
            refresh: 'true',
          }),
        ),
      ).not.toContain('DNS_MISMATCH');
      expect(
        codes(await routesOf(backend, 'component:default/app3')),
      ).not.toContain('DNS_MISMATCH');
    } finally {
      records['app3.qas.abc.com'] = { A: ['192.0.2.80'] };
      await backend.stop();
    }
  });
});

describe('shared cache in Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });

  it('lets a second backend instance answer from what the first one read', async () => {
    const cache = {
      store: 'redis',
      connection: redis.url,
      redis: { client: { namespace: 'traffic-path-test' } },
    };
    const trafficPath = { cache: { ttlSeconds: 30 } };
    const first = await startBackend({
      clusters: bothClusters(),
      trafficPath,
      cache,
    });
    const second = await startBackend({
      clusters: bothClusters(),
      trafficPath,
      cache,
    });
    try {
      const before = demo.requests.length;
      const fromCluster = await routesOf(first, 'component:default/app1');
      expect(clusterOf(fromCluster.body, 'demo').apiCalls).toBe(COLD_READS);
      const fromRedis = await routesOf(second, 'component:default/app1');
      expect(clusterOf(fromRedis.body, 'demo').apiCalls).toBe(0);
      expect(demo.requests.length - before).toBe(COLD_READS);
      expect(clusterOf(fromRedis.body, 'demo').report).toEqual(
        clusterOf(fromCluster.body, 'demo').report,
      );
      expect(await redis.keyCount()).toBeGreaterThan(0);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});

describe('Secrets', () => {
  it('checks TLS Secrets by name and never returns their data', async () => {
    const keyMaterial = Buffer.from(
      '-----BEGIN PRIVATE KEY----- do not leak',
    ).toString('base64');
    const objects = load('seed-004/cluster').map(o =>
      o.kind === 'Secret'
        ? { ...o, data: { 'tls.crt': keyMaterial, 'tls.key': keyMaterial } }
        : o,
    );
    const secretCluster = await startDemoCluster({ objects, token });
    const backend = await startBackend({
      clusters: [
        {
          name: 'demo',
          url: secretCluster.url,
          certificate: secretCluster.certificate,
        },
      ],
      trafficPath: { secrets: { enabled: true } },
    });
    try {
      const res = await routesOf(backend, 'component:default/app3');
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(keyMaterial);
      expect(res.text).not.toContain('tls.key');
      expect(secretCluster.requests.map(r => r.path)).toContain(
        '/api/v1/secrets',
      );
      // The Secret exists: no TLS finding for app3's Ingress.
      expect(
        clusterOf(res.body, 'demo').report!.findings.map(f => f.code),
      ).not.toContain('TLS_SECRET_NOT_FOUND');
    } finally {
      await backend.stop();
      await secretCluster.close();
    }
  });
});
