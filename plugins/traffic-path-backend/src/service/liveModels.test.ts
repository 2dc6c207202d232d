/*
 * The live model in a real backend: the real Kubernetes backend with the
 * Traffic Path module, demo clusters that watch, and Traffic Path. Once
 * the model is ready, changes in the cluster reach the entity's answer
 * without a new list (counted by the demo cluster); a dropped watch and a
 * 410 recover to the same answer as a fresh, request-scoped read; a
 * forbidden kind is a warning; a cluster failing at start is watched once
 * it answers; a client-side-auth cluster is read per request.
 */
import { join, resolve } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import kubernetesModuleTrafficPath from '@internal/plugin-kubernetes-backend-module-traffic-path';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import {
  DemoCluster,
  DemoClusterEntry,
  demoClusterCertificate,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import request from 'supertest';
import { trafficPathPlugin } from '../plugin';
import { untilAborted } from './liveModels';
import { scenarioObjects } from '../__testUtils__/scenarioObjects';

jest.setTimeout(60_000);

const root = resolve(__dirname, '../../../..');
const seed = () =>
  scenarioObjects(join(root, 'test/scenarios/seed-004/cluster'));
const token = 'live-model-test';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'app1',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'app1' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:a' },
  },
];

/** Signals the backend published, newest last. */
const published: SignalPayload[] = [];

function startBackend(clusters: DemoClusterEntry[], watch: object = {}) {
  return startTestBackend({
    features: [
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (signal: SignalPayload) => {
            published.push(signal);
          },
        }),
      }),
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      trafficPathPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: kubernetesConfigFor(
            clusters.map(c => (c.authProvider ? c : { ...c, token })),
          ),
          trafficPath: {
            clusterTimeoutSeconds: 5,
            cache: { ttlSeconds: 0 },
            watch: {
              enabled: true,
              debounceMilliseconds: 20,
              backoff: { initialSeconds: 0.05, maxSeconds: 0.2 },
              ...watch,
            },
          },
        },
      }),
    ],
  });
}

type Entry = {
  cluster: string;
  report?: { routes: unknown[]; findings: { type?: string }[] };
  warnings?: string[];
  apiCalls?: number;
  mode?: string;
  modeReason?: string;
  observedAt?: string;
  error?: { reason: string; message: string };
};

async function answer(
  backend: TestBackend,
  query: Record<string, string> = {},
): Promise<Entry[]> {
  const res = await request(backend.server)
    .get('/api/traffic-path/v1/routes')
    .query({ entityRef: 'component:default/app1', ...query })
    .set('Authorization', mockCredentials.user.header());
  expect(res.status).toBe(200);
  return res.body.clusters;
}

const of = (entries: Entry[], cluster: string) =>
  entries.find(e => e.cluster === cluster)!;

async function until<T>(
  get: () => Promise<T>,
  check: (value: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (check(value)) return value;
    if (Date.now() > end)
      throw new Error(
        `timed out; last: ${JSON.stringify(value).slice(0, 600)}`,
      );
    await new Promise(r => setTimeout(r, 50));
  }
}

/** app1's pod addresses. */
const APP1_PODS = new Set(['10.17.10.91', '10.17.10.160']);

/** The addresses of app1's endpoints the answer shows as ready. */
function readyEndpoints(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach(v => readyEndpoints(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (
      typeof o.address === 'string' &&
      APP1_PODS.has(o.address) &&
      o.ready === true
    )
      out.add(o.address);
    Object.values(o).forEach(v => readyEndpoints(v, out));
  }
  return out;
}

const lists = (c: DemoCluster) => c.requestCounts().byVerb.list ?? 0;
const byName = (objects: KubeObject[], kind: string, name: string) =>
  structuredClone(
    objects.find(o => o.kind === kind && o.metadata.name === name)!,
  );

describe('the live model', () => {
  let certificate: ReturnType<typeof demoClusterCertificate>;
  let demo: DemoCluster;
  let late: DemoCluster;
  let browser: DemoCluster;
  let backend: TestBackend;
  const objects = seed();

  beforeAll(async () => {
    certificate = demoClusterCertificate();
    demo = await startDemoCluster({
      objects,
      token,
      certificate,
      // Nodes forbidden: one kind the backend may not list.
      faults: [{ path: '/nodes$', status: 403 }],
      bookmarkIntervalMs: 300,
    });
    late = await startDemoCluster({
      objects,
      token,
      certificate,
      faults: [{ path: '.', status: 503 }],
    });
    browser = await startDemoCluster({ objects, token, certificate });
    backend = await startBackend([
      { name: 'demo', url: demo.url, certificate: certificate.cert },
      { name: 'late', url: late.url, certificate: certificate.cert },
      {
        name: 'browser',
        url: browser.url,
        certificate: certificate.cert,
        authProvider: 'oidc',
        oidcTokenProvider: 'okta',
      },
    ]);
  });
  afterAll(async () => {
    await backend?.stop();
    await demo?.close();
    await late?.close();
    await browser?.close();
  });

  const watched = () =>
    until(
      () => answer(backend),
      e => of(e, 'demo').mode === 'watch',
    );

  it('serves a watchable cluster from its model, with a forbidden kind as a warning', async () => {
    const entry = of(await watched(), 'demo');
    expect(entry.apiCalls).toBe(0);
    expect(Date.now() - Date.parse(entry.observedAt!)).toBeLessThan(60_000);
    expect(entry.warnings!.join('\n')).toMatch(/\/api\/v1\/nodes with 403/);
    expect(readyEndpoints(entry.report!.routes)).toEqual(
      new Set(['10.17.10.91', '10.17.10.160']),
    );
  });

  it('says the data is current as of the last bookmark, though nothing changed', async () => {
    const first = of(await watched(), 'demo');
    const listed = lists(demo);
    await new Promise(r => setTimeout(r, 1000));
    const later = of(await answer(backend), 'demo');
    expect(Date.parse(later.observedAt!)).toBeGreaterThan(
      Date.parse(first.observedAt!),
    );
    expect(later.report).toEqual(first.report);
    expect(lists(demo)).toBe(listed);
  });

  it('reads a client-side-auth cluster per request, with the user token', async () => {
    const entry = of(await answer(backend), 'browser');
    expect(entry.mode).toBeUndefined(); // no token from the browser: an error entry
    const withToken = of(
      (
        await request(backend.server)
          .post('/api/traffic-path/v1/routes')
          .send({
            entityRef: 'component:default/app1',
            auth: { oidc: { okta: token } },
          })
          .set('Authorization', mockCredentials.user.header())
      ).body.clusters,
      'browser',
    );
    expect(withToken.mode).toBe('request');
    expect(withToken.modeReason).toMatch(/client-side/);
    expect(withToken.apiCalls).toBeGreaterThan(0);
    // Nothing but the user's reads reached that cluster: no list, no watch of the model's.
    expect(browser.requestCounts().byVerb.watch ?? 0).toBe(0);
  });

  it('changes the answer on a pod turning not ready, an Ingress added, a NetworkPolicy added and a Service deleted, without a new list', async () => {
    await watched();
    const listed = lists(demo);

    // The pod turns not ready; the EndpointSlice controller marks its endpoint.
    const pod = byName(objects, 'Pod', 'app1-7d9c5b8f6-k2x8p');
    (pod.status as any).conditions = [{ type: 'Ready', status: 'False' }];
    const slice = byName(objects, 'EndpointSlice', 'app1-service-x7k2p');
    (slice as any).endpoints[0].conditions = {
      ready: false,
      serving: false,
      terminating: false,
    };
    demo.apply([pod, slice]);
    await until(
      () => answer(backend),
      e => !readyEndpoints(of(e, 'demo').report!.routes).has('10.17.10.91'),
    );

    const ingress = byName(objects, 'Ingress', 'app1-service-ingress');
    ingress.metadata.name = 'app1-canary';
    (ingress.spec as any).rules[0].host = 'canary.qas.abc.com';
    delete (ingress.spec as any).tls;
    demo.apply([ingress]);
    await until(
      () => answer(backend),
      e =>
        JSON.stringify(of(e, 'demo').report!.routes).includes(
          'canary.qas.abc.com',
        ),
    );

    demo.apply([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-all-ingress', namespace: 'app' },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
    ]);
    await until(
      () => answer(backend),
      e => JSON.stringify(of(e, 'demo').report).includes('deny-all-ingress'),
    );

    demo.remove([{ kind: 'Service', namespace: 'app', name: 'app1-service' }]);
    const gone = await until(
      () => answer(backend),
      e =>
        !JSON.stringify(of(e, 'demo').report!.routes).includes('app1-service'),
    );
    expect(of(gone, 'demo').mode).toBe('watch');
    expect(lists(demo)).toBe(listed);

    demo.replace(objects); // as it was, for the tests below
  });

  it('signals a change of the routes of an entity asked for, and not a change that leaves them as they were', async () => {
    await watched();
    await new Promise(r => setTimeout(r, 300)); // the signals of the test before have gone out
    const channel = 'traffic-path:routes:component:default/app1';
    const before = published.length;

    // app2's pod: in app1's namespace, but none of app1's routes.
    const other = byName(objects, 'Pod', 'app2-5b6f7c8d9-q3w5e');
    (other.metadata.labels as Record<string, string>).release = 'unrelated';
    demo.apply([other]);
    await new Promise(r => setTimeout(r, 500));
    expect(published.slice(before)).toEqual([]);

    const ingress = byName(objects, 'Ingress', 'app1-service-ingress');
    ingress.metadata.name = 'app1-beta';
    (ingress.spec as any).rules[0].host = 'beta.qas.abc.com';
    delete (ingress.spec as any).tls;
    demo.apply([ingress]);
    await until(
      async () => published.slice(before),
      signals => signals.length > 0,
    );
    expect(published.slice(before)).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel,
        message: {
          entityRef: 'component:default/app1',
          cluster: 'demo',
          observedAt: expect.any(String),
        },
      },
    ]);
    // The card's next request sees the change.
    expect(
      JSON.stringify(of(await answer(backend), 'demo').report!.routes),
    ).toContain('beta.qas.abc.com');
    demo.replace(objects);
  });

  it('recovers from a dropped watch and from 410 Gone to the answer of a fresh list', async () => {
    await until(
      () => answer(backend),
      e =>
        readyEndpoints(of(e, 'demo').report!.routes).size === 2 &&
        JSON.stringify(of(e, 'demo').report!.routes).includes('app1-service'),
    );
    const listed = lists(demo);
    demo.endWatches('drop');
    const pod = byName(objects, 'Pod', 'app1-7d9c5b8f6-m4n7q');
    (pod.metadata.labels as Record<string, string>).release = 'after-drop';
    demo.apply([pod]);
    await new Promise(r => setTimeout(r, 500));
    expect(lists(demo)).toBe(listed); // resumed from its version, no list

    // Every watch opened next answers 410: each kind lists again.
    demo.setFaults([
      { path: '/nodes$', status: 403 },
      { path: '.', expire: true, times: 30 },
    ]);
    demo.endWatches('drop');
    demo.remove([
      { kind: 'Ingress', namespace: 'app', name: 'app1-service-ingress' },
    ]);
    await until(
      async () => lists(demo),
      n => n >= listed + 20,
    );
    demo.setFaults([{ path: '/nodes$', status: 403 }]);
    const fromModel = await until(
      () => answer(backend),
      e =>
        !JSON.stringify(of(e, 'demo').report!.routes).includes(
          'app1.qas.abc.com',
        ),
    );
    // The same cluster read per request, as a fresh list.
    const fresh = await startBackend(
      [{ name: 'demo', url: demo.url, certificate: certificate.cert }],
      { enabled: false },
    );
    try {
      const listedNow = of(await answer(fresh), 'demo');
      expect(listedNow.mode).toBe('request');
      expect(of(fromModel, 'demo').report).toEqual(listedNow.report);
    } finally {
      await fresh.stop();
      demo.replace(objects);
    }
  });

  it('answers a cluster failing at start per request, then from its model once it answers', async () => {
    const first = of(await answer(backend), 'late');
    expect(first.error?.message ?? first.modeReason).toBeTruthy();
    late.setFaults([]);
    const entry = of(
      await until(
        () => answer(backend),
        e => of(e, 'late').mode === 'watch',
      ),
      'late',
    );
    expect(readyEndpoints(entry.report!.routes).size).toBe(2);
  });

  it('lists a watched cluster again on Refresh', async () => {
    await watched();
    const listed = lists(demo);
    const entry = of(await answer(backend, { refresh: 'true' }), 'demo');
    expect(entry.mode).toBe('watch');
    expect(lists(demo)).toBeGreaterThan(listed);
  });
});

describe('the object cap', () => {
  it('reads a cluster over the cap per request, and says so', async () => {
    const demo = await startDemoCluster({ objects: seed(), token });
    const backend = await startBackend(
      [{ name: 'demo', url: demo.url, certificate: demo.certificate }],
      { maxObjectsPerCluster: 5 },
    );
    try {
      const entry = of(
        await until(
          () => answer(backend),
          e => /maxObjectsPerCluster/.test(of(e, 'demo').modeReason ?? ''),
        ),
        'demo',
      );
      expect(entry.mode).toBe('request');
      expect(entry.report!.routes.length).toBeGreaterThan(0);
    } finally {
      await backend.stop();
      await demo.close();
    }
  });
});

describe('untilAborted', () => {
  it('settles with the promise, and removes its abort listener', async () => {
    const stop = new AbortController();
    const removed = jest.spyOn(stop.signal, 'removeEventListener');
    await expect(untilAborted(Promise.resolve(7), stop.signal)).resolves.toBe(
      7,
    );
    await expect(
      untilAborted(Promise.reject(new Error('no list')), stop.signal),
    ).rejects.toThrow('no list');
    expect(removed).toHaveBeenCalledTimes(2);
  });

  it("rejects with the signal's reason when it aborts first, the promise going on", async () => {
    const stop = new AbortController();
    let finish: (v: string) => void = () => {};
    const listing = new Promise<string>(r => {
      finish = r;
    });
    const waited = untilAborted(listing, stop.signal);
    stop.abort(new Error('the cluster timed out'));
    await expect(waited).rejects.toThrow('the cluster timed out');
    finish('listed');
    await expect(listing).resolves.toBe('listed');
    await expect(untilAborted(listing, stop.signal)).rejects.toThrow(
      'the cluster timed out',
    );
  });
});
