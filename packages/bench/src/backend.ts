/*
 * The routes endpoint against the Kubernetes backend's own objects-by-entity
 * endpoint, side by side in one backend, while the demo cluster adds a fixed
 * latency to every API call: cold latency (nothing cached), warm latency
 * (cached), and the API calls each request causes.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import kubernetesModuleTrafficPath from '@internal/plugin-kubernetes-backend-module-traffic-path';
import trafficPathPlugin from '@internal/plugin-traffic-path-backend';
import { loadInputs } from '@internal/traffic-path-cli';
import {
  DemoCluster,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';

const token = 'bench';

export type LatencyStats = {
  p50: number;
  p95: number;
  mean: number;
  n: number;
};

export type BackendResult = {
  apiLatencyMs: number;
  trafficPathCold: LatencyStats;
  trafficPathWarm: LatencyStats;
  /** Cold, without the Traffic Path module of the Kubernetes backend: one proxied request per list. */
  trafficPathColdProxyOnly: LatencyStats;
  kubernetesBackend: LatencyStats;
  /** One LIST through the Kubernetes backend's proxy, alone and ten at once (what a cold request does). */
  proxySingle: LatencyStats;
  proxyTenParallel: LatencyStats;
  trafficPathCallsCold: number;
  trafficPathCallsWarm: number;
  kubernetesBackendCalls: number;
  objects: number;
};

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'app1',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'app1' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/platform-team',
  },
};

function stats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return {
    p50: at(0.5),
    p95: at(0.95),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    n: samples.length,
  };
}

async function startBackend(
  cluster: DemoCluster,
  cacheTtlSeconds: number,
  withModule = true,
) {
  return startTestBackend({
    features: [
      kubernetesPlugin,
      ...(withModule ? [kubernetesModuleTrafficPath] : []),
      trafficPathPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: kubernetesConfigFor([
            {
              name: 'demo',
              url: cluster.url,
              certificate: cluster.certificate,
              token,
            },
          ]),
          // Request-scoped reads, as a cluster the backend cannot watch gets them; the live
          // model is measured by the watch part.
          trafficPath: {
            cache: { ttlSeconds: cacheTtlSeconds },
            watch: { enabled: false },
          },
        },
      }),
    ],
  });
}

/** Times `request` n times, one after the other; returns latencies and API calls per request. */
async function measure(
  cluster: DemoCluster,
  n: number,
  request: () => Promise<Response>,
) {
  const samples: number[] = [];
  const before = cluster.requests.length;
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await request();
    const body = await res.text();
    if (!res.ok)
      throw new Error(
        `benchmark request failed: HTTP ${res.status} ${body.slice(0, 300)}`,
      );
    samples.push(performance.now() - started);
  }
  return {
    stats: stats(samples),
    callsPerRequest: (cluster.requests.length - before) / n,
  };
}

export async function runBackendBenchmark(
  root: string,
  options: { latencyMs: number; cold: number; warm: number },
): Promise<BackendResult> {
  const objects = loadInputs([
    join(root, 'test/scenarios/seed-004/cluster'),
  ]).objects;
  const cluster = await startDemoCluster({
    objects,
    token,
    latencyMs: options.latencyMs,
  });
  const uncached = await startBackend(cluster, 0);
  const cached = await startBackend(cluster, 300);
  const proxyOnly = await startBackend(cluster, 0, false);
  try {
    const auth = { Authorization: mockCredentials.user.header() };
    const base = (b: typeof uncached) =>
      `http://localhost:${(b.server.address() as { port: number }).port}/api`;
    const routes = (b: typeof uncached) => () =>
      fetch(
        `${base(b)}/traffic-path/v1/routes?entityRef=component:default/app1`,
        { headers: auth },
      );
    const objectsByEntity = () =>
      fetch(`${base(uncached)}/kubernetes/services/app1`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ entity }),
      });

    // Warm-up: connections, JIT, the Kubernetes client's first load.
    for (let i = 0; i < 3; i++) {
      await (await routes(uncached)()).arrayBuffer();
      await (await objectsByEntity()).arrayBuffer();
    }
    // Interleaved so that a slow moment of the machine hits both alike.
    const cold: number[] = [];
    const kube: number[] = [];
    let coldCalls = 0;
    let kubeCalls = 0;
    for (let i = 0; i < options.cold; i++) {
      const a = await measure(cluster, 1, routes(uncached));
      const b = await measure(cluster, 1, objectsByEntity);
      cold.push(a.stats.p50);
      kube.push(b.stats.p50);
      coldCalls += a.callsPerRequest;
      kubeCalls += b.callsPerRequest;
    }
    await (await routes(cached)()).arrayBuffer();
    const warm = await measure(cluster, options.warm, routes(cached));

    // Where cold time goes: each LIST through the proxy opens its own TLS connection to the cluster.
    const proxied = (i: number) => () =>
      fetch(`${base(uncached)}/kubernetes/proxy/api/v1/services?n=${i}`, {
        headers: { ...auth, 'Backstage-Kubernetes-Cluster': 'demo' },
      });
    for (let i = 0; i < 3; i++) await (await routes(proxyOnly)()).arrayBuffer();
    const coldProxyOnly = await measure(
      cluster,
      options.cold,
      routes(proxyOnly),
    );
    const single: number[] = [];
    const parallel: number[] = [];
    for (let i = 0; i < options.cold; i++) {
      single.push((await measure(cluster, 1, proxied(0))).stats.p50);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          proxied(n)().then(r => r.arrayBuffer()),
        ),
      );
      parallel.push(performance.now() - started);
    }
    return {
      apiLatencyMs: options.latencyMs,
      trafficPathCold: stats(cold),
      trafficPathWarm: warm.stats,
      trafficPathColdProxyOnly: coldProxyOnly.stats,
      kubernetesBackend: stats(kube),
      proxySingle: stats(single),
      proxyTenParallel: stats(parallel),
      trafficPathCallsCold: coldCalls / options.cold,
      trafficPathCallsWarm: warm.callsPerRequest,
      kubernetesBackendCalls: kubeCalls / options.cold,
      objects: objects.length,
    };
  } finally {
    await uncached.stop();
    await cached.stop();
    await proxyOnly.stop();
    await cluster.close();
  }
}

const ms = (v: number) => v.toFixed(1);

export function backendMarkdown(r: BackendResult): string {
  const ratio = r.trafficPathCold.p50 / r.kubernetesBackend.p50;
  const coldMet = ratio <= 1.5;
  const warmMet = r.trafficPathWarm.p95 < 20;
  return [
    `The demo cluster (seed-004, ${r.objects} objects) adds **${r.apiLatencyMs} ms to every API call**; one backend runs the real Kubernetes backend and Traffic Path; entity \`component:default/app1\`.`,
    '',
    '| request | p50 ms | p95 ms | mean ms | requests | API calls per request |',
    '|---|---:|---:|---:|---:|---:|',
    `| Kubernetes backend \`POST /api/kubernetes/services/app1\` (objects by entity) | ${ms(
      r.kubernetesBackend.p50,
    )} | ${ms(r.kubernetesBackend.p95)} | ${ms(r.kubernetesBackend.mean)} | ${
      r.kubernetesBackend.n
    } | ${r.kubernetesBackendCalls.toFixed(1)} |`,
    `| Traffic Path \`GET /api/traffic-path/v1/routes\`, cold (cache off) | ${ms(
      r.trafficPathCold.p50,
    )} | ${ms(r.trafficPathCold.p95)} | ${ms(r.trafficPathCold.mean)} | ${
      r.trafficPathCold.n
    } | ${r.trafficPathCallsCold.toFixed(1)} |`,
    `| Traffic Path, cold, without the Kubernetes module (through \`/api/kubernetes/proxy\`) | ${ms(
      r.trafficPathColdProxyOnly.p50,
    )} | ${ms(r.trafficPathColdProxyOnly.p95)} | ${ms(
      r.trafficPathColdProxyOnly.mean,
    )} | ${r.trafficPathColdProxyOnly.n} | ${r.trafficPathCallsCold.toFixed(
      1,
    )} |`,
    `| Traffic Path, warm (cached) | ${ms(r.trafficPathWarm.p50)} | ${ms(
      r.trafficPathWarm.p95,
    )} | ${ms(r.trafficPathWarm.mean)} | ${
      r.trafficPathWarm.n
    } | ${r.trafficPathCallsWarm.toFixed(1)} |`,
    `| one LIST through \`/api/kubernetes/proxy\` | ${ms(
      r.proxySingle.p50,
    )} | ${ms(r.proxySingle.p95)} | ${ms(r.proxySingle.mean)} | ${
      r.proxySingle.n
    } | 1 |`,
    `| ten LISTs through the proxy at once | ${ms(
      r.proxyTenParallel.p50,
    )} | ${ms(r.proxyTenParallel.p95)} | ${ms(r.proxyTenParallel.mean)} | ${
      r.proxyTenParallel.n
    } | 10 |`,
    '',
    `Targets: cold at most 1.5 × the Kubernetes backend — **${
      coldMet ? 'met' : 'NOT met'
    }** (${ratio.toFixed(2)} ×, p50); warm p95 under 20 ms — **${
      warmMet ? 'met' : 'NOT met'
    }** (${ms(
      r.trafficPathWarm.p95,
    )} ms); API calls per cluster bounded by the kinds read, not by objects — ${r.trafficPathCallsCold.toFixed(
      0,
    )} calls cold (one round: a list per kind the engine reads, CRD kinds this cluster lacks answering 404 at once, and the entity's pods), 0 warm.`,
    '',
    "Cold and Kubernetes-backend requests alternate, one at a time, after 3 warm-ups. The Kubernetes backend reads its default object kinds for the entity by label selector in one round; Traffic Path reads its cluster snapshot and the entity's pods in one round, with the catalog lookup and the cluster list done at the same time. With the Traffic Path module of the Kubernetes backend (`plugins/kubernetes-backend-module-traffic-path`) that round is one request, whose lists the module makes at once over kept-alive connections; without it each list is a request through the Kubernetes proxy, which opens a new TLS connection to the cluster every time (the last two rows), and cold latency grows with the number of lists.",
  ].join('\n');
}
