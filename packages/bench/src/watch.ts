/*
 * `yarn bench watch [--quick]`: the live cluster model (trafficPath.watch)
 * on the synthetic cluster at 1k, 10k and 50k pods, served by a demo
 * cluster in its own process with 20 ms per API call, next to the
 * Kubernetes backend's objects-by-entity for the same entity in the same
 * backend. Each size runs in a child process (`watch-run <pods>`), and so
 * does the same backend watching an empty cluster, so that the memory the
 * model adds is the difference of two fresh processes' RSS.
 *
 * Measured: start of the backend to the model ready; warm p95 of the
 * routes endpoint; a change in the cluster visible in the answer (p95);
 * the lists the demo cluster counts over a minute of steady requests.
 */
import { spawnSync } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
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
import {
  KubeObject,
  snapshotReads,
} from '@internal/plugin-traffic-path-common';
import {
  DemoClusterProcess,
  kubernetesConfigFor,
  startDemoClusterProcess,
} from '@internal/traffic-path-demo-cluster';
import { syntheticCluster } from './syntheticCluster';

const token = 'bench-watch';
const LATENCY_MS = 20;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'svc-0',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-label-selector': 'app=svc-0' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:a' },
};

export type Quantiles = { p50: number; p95: number; n: number };

export type WatchRun = {
  pods: number;
  objects: number;
  /** From the backend's start to the first answer served by the model. */
  startToReadyMs: number;
  /** The routes endpoint once the model is ready. */
  warm: Quantiles;
  kubernetesBackend: Quantiles;
  changeVisible: Quantiles;
  /** Lists the demo cluster counted over the steady minute (0: no periodic re-list). */
  steadyLists: number;
  steadyRequests: number;
  steadySeconds: number;
  /** RSS with the model ready, after a GC, in MiB. */
  rssMb: number;
  /** The JavaScript heap in use then (what is kept, without the heap's high-water mark). */
  heapMb: number;
};

function quantiles(samples: number[]): Quantiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ??
    NaN;
  return { p50: at(0.5), p95: at(0.95), n: samples.length };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function gcRss(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage().rss / (1024 * 1024);
}

/** The pod of svc-0 that the change benchmark toggles, and its EndpointSlice. */
function changeTargets(items: KubeObject[]) {
  const pod = items.find(
    o => o.kind === 'Pod' && o.metadata.name === 'svc-0-pod-0',
  )!;
  const slice = items.find(
    o => o.kind === 'EndpointSlice' && o.metadata.name === 'svc-0-abcde',
  )!;
  return { pod, slice };
}

/** svc-0's endpoint addresses shown as ready in an answer. */
function readyCount(body: unknown): number {
  let n = 0;
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.address === 'string' && o.ready === true) n += 1;
      Object.values(o).forEach(walk);
    }
  };
  walk(body);
  return n;
}

/**
 * How many watches the model opens on this cluster: one per read it lists
 * (the snapshot's reads, every pod once instead of controller pods by
 * selector), but not the CRD kinds the cluster lacks (404). Asked before
 * the backend starts, so that readiness is known without asking the
 * routes endpoint, which would read the cluster per request meanwhile.
 */
async function expectedWatches(cluster: DemoClusterProcess): Promise<number> {
  const paths = [
    ...snapshotReads({ secrets: false })
      .filter(r => r.kind !== 'Pod')
      .map(r => r.path),
    '/api/v1/pods',
  ];
  const status = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(
        `${cluster.url}${path}${path.includes('?') ? '&' : '?'}limit=1`,
      );
      const req = httpsRequest(
        url,
        {
          ca: cluster.certificate,
          headers: { Authorization: `Bearer ${token}` },
        },
        res => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
  const statuses = await Promise.all(paths.map(status));
  return statuses.filter(s => s === 200).length;
}

/** One size, in this process: what `watch-run <pods>` prints. `pods` 0 is the empty cluster. */
export async function measureWatch(
  pods: number,
  options: { warm: number; changes: number; steadySeconds: number },
): Promise<WatchRun> {
  const items = pods
    ? (JSON.parse(syntheticCluster(pods).text).items as KubeObject[])
    : [];
  const cluster: DemoClusterProcess = await startDemoClusterProcess({
    objects: items,
    token,
    latencyMs: LATENCY_MS,
  });
  const watches = await expectedWatches(cluster);
  const started = performance.now();
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      trafficPathPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: kubernetesConfigFor([
            {
              name: 'synthetic',
              url: cluster.url,
              certificate: cluster.certificate,
              token,
            },
          ]),
          trafficPath: {
            clusterTimeoutSeconds: 30,
            watch: { enabled: true },
          },
        },
      }),
    ],
  });
  try {
    const base = `http://localhost:${
      (backend.server.address() as { port: number }).port
    }/api`;
    const auth = { Authorization: mockCredentials.user.header() };
    const routes = async () => {
      const res = await fetch(
        `${base}/traffic-path/v1/routes?entityRef=component:default/svc-0`,
        { headers: auth },
      );
      const body = await res.json();
      if (!res.ok)
        throw new Error(`routes: HTTP ${res.status} ${JSON.stringify(body)}`);
      return body.clusters[0] as {
        mode?: string;
        report?: { routes: unknown[] };
        error?: unknown;
      };
    };

    // Ready: every watch is open (each opens after its list), then the answer says `watch`.
    // Routes are not asked before, so that no request-scoped read runs alongside.
    // The model is made 200 ms (the debounce) after the last list: asked sooner, the routes
    // endpoint would read the cluster per request, and that read's memory would stay.
    for (;;) {
      const open = (await cluster.requestCounts()).openWatches ?? 0;
      if (open >= watches) {
        await sleep(400);
        if ((await routes()).mode === 'watch') break;
      }
      if (performance.now() - started > 120_000)
        throw new Error(`the model of ${pods} pods was not ready in 120 s`);
      await sleep(25);
    }
    const startToReadyMs = performance.now() - started;

    // Warm: the routes endpoint and the Kubernetes backend's objects-by-entity, alternating.
    const objectsByEntity = async () => {
      const res = await fetch(`${base}/kubernetes/services/svc-0`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ entity }),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`objects by entity: HTTP ${res.status}`);
    };
    const warm: number[] = [];
    const kube: number[] = [];
    for (let i = 0; i < 3; i++) {
      await routes();
      await objectsByEntity();
    }
    for (let i = 0; i < options.warm; i++) {
      let t = performance.now();
      await routes();
      warm.push(performance.now() - t);
      if (i % 5 === 0) {
        t = performance.now();
        await objectsByEntity();
        kube.push(performance.now() - t);
      }
    }

    // A change visible: svc-0's first pod turns not ready (and its endpoint), then ready again.
    const changeVisible: number[] = [];
    if (pods) {
      const { pod, slice } = changeTargets(items);
      for (let i = 0; i < options.changes; i++) {
        const ready = i % 2 === 1;
        const before = readyCount((await routes()).report);
        const p = structuredClone(pod);
        (p.status as { conditions: unknown[] }).conditions = [
          { type: 'Ready', status: ready ? 'True' : 'False' },
        ];
        const s = structuredClone(slice) as unknown as {
          endpoints: { conditions?: unknown }[];
        };
        s.endpoints[0].conditions = {
          ready,
          serving: ready,
          terminating: false,
        };
        const t = performance.now();
        await cluster.apply([p, s as unknown as KubeObject]);
        for (;;) {
          if (readyCount((await routes()).report) !== before) break;
          if (performance.now() - t > 30_000)
            throw new Error('a change was not visible within 30 s');
          await sleep(5);
        }
        changeVisible.push(performance.now() - t);
      }
    }

    // Steady: one request a second for a minute; lists counted by the demo cluster.
    const listsBefore = (await cluster.requestCounts()).byVerb.list ?? 0;
    let steadyRequests = 0;
    const end = performance.now() + options.steadySeconds * 1000;
    while (performance.now() < end) {
      await routes();
      steadyRequests += 1;
      await sleep(1000);
    }
    const steadyLists =
      ((await cluster.requestCounts()).byVerb.list ?? 0) - listsBefore;

    return {
      pods,
      objects: items.length,
      startToReadyMs,
      warm: quantiles(warm),
      kubernetesBackend: quantiles(kube),
      changeVisible: quantiles(changeVisible),
      steadyLists,
      steadyRequests,
      steadySeconds: options.steadySeconds,
      rssMb: gcRss(),
      heapMb: process.memoryUsage().heapUsed / (1024 * 1024),
    };
  } finally {
    await backend.stop();
    await cluster.close();
  }
}

export type WatchResult = { empty: WatchRun; runs: WatchRun[] };

/** Each size, and the empty cluster, in a child process of its own (`bin/bench watch-run`). */
export function runWatchBenchmarks(
  bin: string,
  sizes: number[],
  options: { warm: number; changes: number; steadySeconds: number },
): WatchResult {
  const child = (pods: number): WatchRun => {
    const out = spawnSync(
      process.execPath,
      ['--expose-gc', bin, 'watch-run', String(pods), JSON.stringify(options)],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const line = out.stdout
      .trim()
      .split('\n')
      .reverse()
      .find(l => l.startsWith('{"pods"'));
    if (out.status !== 0 || !line)
      throw new Error(`watch-run ${pods} failed: ${out.stderr.slice(-2000)}`);
    return JSON.parse(line);
  };
  const empty = child(0);
  return { empty, runs: sizes.map(child) };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');

export function watchMarkdown(r: WatchResult): string {
  const rows = r.runs.map(run => {
    const ratio = run.warm.p95 / run.kubernetesBackend.p95;
    return `| ${run.pods.toLocaleString('en-US')} | ${ms(
      run.startToReadyMs,
    )} | ${ms(run.warm.p50)} | ${ms(run.warm.p95)} | ${ms(
      run.kubernetesBackend.p95,
    )} | ${ratio.toFixed(2)} | ${ms(run.changeVisible.p95)} | ${
      run.steadyLists
    } in ${run.steadySeconds} s | ${(run.rssMb - r.empty.rssMb).toFixed(0)} |`;
  });
  const big = r.runs[r.runs.length - 1];
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    `The synthetic cluster, served by a demo cluster in its own process with **${LATENCY_MS} ms per API call**; one backend with the real Kubernetes backend, the Traffic Path module and \`trafficPath.watch.enabled: true\`; entity \`app=svc-0\`. Each size runs in a fresh process; RSS is after a GC, minus the same backend watching an empty cluster (${r.empty.rssMb.toFixed(
      0,
    )} MiB).`,
    '',
    '| pods | start → model ready ms | warm p50 ms | warm p95 ms | Kubernetes backend objects-by-entity p95 ms | ratio (p95) | change visible p95 ms | lists while steady | RSS above empty MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Targets at ${big.pods.toLocaleString(
      'en-US',
    )} pods: warm p95 ≤ 20 ms — **${check(
      big.warm.p95 <= 20,
    )}**; ratio to the Kubernetes backend below 1 — **${check(
      big.warm.p95 / big.kubernetesBackend.p95 < 1,
    )}**; start to model ready ≤ 5 s — **${check(
      big.startToReadyMs <= 5000,
    )}**; change visible ≤ 2 s (p95) — **${check(
      big.changeVisible.p95 <= 2000,
    )}**; no periodic re-list — **${check(
      r.runs.every(x => x.steadyLists === 0),
    )}**; RSS ≤ 250 MiB above empty — **${check(
      big.rssMb - r.empty.rssMb <= 250,
    )}**.`,
    '',
    `Warm: ${big.warm.n} requests one after the other, the Kubernetes backend's every fifth. A change: svc-0's first pod and its endpoint turn not ready (then ready), applied through the demo cluster's control endpoint; visible when the answer's ready endpoints change (polled every 5 ms). Steady: one request a second.`,
  ].join('\n');
}

/**
 * `watch [--quick]` prints the results (docs/benchmarks.md is left as it
 * is); `watch-run <pods> <options>` is the child that measures one size.
 */
export async function watchCommand(args: string[], bin: string): Promise<void> {
  if (args[0] === 'watch-run') {
    const result = await measureWatch(Number(args[1]), JSON.parse(args[2]));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    // The backend's handles (timers of the Kubernetes client) must not keep the child alive.
    process.exit(0);
  }
  const quick = args.includes('--quick');
  const result = runWatchBenchmarks(
    bin,
    quick ? [1000, 10000] : [1000, 10000, 50000],
    {
      warm: quick ? 100 : 300,
      changes: quick ? 6 : 20,
      steadySeconds: quick ? 10 : 60,
    },
  );
  process.stdout.write(`${watchMarkdown(result)}\n`);
}
