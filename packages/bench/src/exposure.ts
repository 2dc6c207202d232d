/*
 * The ownership review's speed: the exposure API over 5,000 entities'
 * stored summaries (SQLite file, the catalog's visibility check included),
 * and a full scheduled scan of 500 entities over a demo cluster that adds
 * 20 ms to every API call, with the most requests in flight to the
 * cluster at once (counted on Node's http client diagnostics channel).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { get as httpGet } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  openExposureStore,
  StoredSummary,
} from '@internal/plugin-traffic-path-backend/testUtils';
import { loadInputs } from '@internal/traffic-path-cli';
import {
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import { LatencyStats } from './backend';
import { syntheticCluster } from './syntheticCluster';

const token = 'bench';
const progress = (line: string) =>
  process.stderr.write(`bench exposure: ${line}\n`);
const SCAN_TASK = 'traffic-path-exposure-scan';

export type ExposureResult = {
  summaries: number;
  entriesPerSummary: number;
  all: LatencyStats;
  oneOwner: LatencyStats;
  csvAll: LatencyStats;
  scan: {
    entities: number;
    pods: number;
    latencyMs: number;
    durationMs: number;
    summaries: number;
    clusterRequests: number;
    maxInFlight: number;
    concurrencyPerCluster: number;
  };
  live: LiveResult;
};

export type LiveResult = {
  entities: number;
  pods: number;
  latencyMs: number;
  delaySeconds: number;
  /** From the backend's start to the first answer from the model. */
  readyMs: number;
  /** From the model ready to every entity's summary written. */
  writtenMs: number;
  summaries: number;
  /** API calls the cluster counted from the backend's start to the summaries written. */
  clusterRequests: number;
  rssMb: number;
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

/** Backstage's mock scheduler, told not to run tasks at start-up: the benchmark triggers the scan. */
function manualScheduler() {
  const scheduler = mockServices.scheduler() as ReturnType<
    typeof mockServices.scheduler
  > & {
    factory(options: {
      skipTaskRunOnStartup: boolean;
    }): ReturnType<typeof mockServices.scheduler.factory>;
  };
  return {
    factory: scheduler.factory({ skipTaskRunOnStartup: true }),
    scan: () => scheduler.triggerTask(SCAN_TASK),
  };
}

const component = (
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner },
});

/** One GET on a fresh connection: a kept-alive one may have been closed by the server while the benchmark seeded. */
function getText(
  url: string,
  authorization: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers: { authorization }, agent: false }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function timed(
  n: number,
  url: string,
  authorization: string,
): Promise<LatencyStats> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await getText(url, authorization);
    if (res.status !== 200)
      throw new Error(
        `exposure API: HTTP ${res.status} ${res.body.slice(0, 300)}`,
      );
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

async function measureApi(
  root: string,
  options: { entities: number; runs: number },
) {
  const dir = mkdtempSync(join(tmpdir(), 'traffic-path-bench-'));
  const cluster = await startDemoCluster({
    objects: loadInputs([join(root, 'test/scenarios/seed-004/cluster')])
      .objects,
    token,
  });
  const owners = 50;
  const ownerOf = (i: number) => `group:default/team-${i % owners}`;
  // The first three are on the demo cluster: their real summaries are the templates.
  const entities = Array.from({ length: options.entities }, (_, i) =>
    component(
      `svc-${i}`,
      ownerOf(i),
      i < 3 ? { 'backstage.io/kubernetes-id': `app${i + 1}` } : {},
    ),
  );
  const scheduler = manualScheduler();
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      trafficPathPlugin,
      catalogServiceMock.factory({ entities }),
      scheduler.factory,
      mockServices.database.factory(),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: {
              client: 'better-sqlite3',
              connection: { directory: dir },
            },
          },
          kubernetes: kubernetesConfigFor([
            {
              name: 'demo',
              url: cluster.url,
              certificate: cluster.certificate,
              token,
            },
          ]),
        },
      }),
    ],
  });
  try {
    progress('backend up; scanning the 3 template entities');
    await scheduler.scan();
    const { port } = backend.server.address() as { port: number };
    progress(`scanned; the API on port ${port}`);
    const base = `http://localhost:${port}/api/traffic-path/v1/exposure`;
    const authorization = mockCredentials.user.header();
    const templates: StoredSummary[] = JSON.parse(
      (await getText(base, authorization)).body,
    ).items;
    if (templates.length !== 3)
      throw new Error(`expected 3 scanned summaries, got ${templates.length}`);
    const { store, close } = await openExposureStore({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'traffic-path.sqlite') },
    });
    try {
      for (let i = 3; i < options.entities; i++) {
        const t = templates[i % 3];
        await store.write(
          {
            ...t,
            entityRef: `component:default/svc-${i}`,
            owner: ownerOf(i),
            entries: t.entries.map(e => ({
              ...e,
              key: e.key.replace(/^[^/ ]+/, `svc-${i}.example.com`),
              host: `svc-${i}.example.com`,
            })),
          },
          [],
        );
      }
    } finally {
      await close();
    }
    progress(`seeded ${options.entities} summaries; measuring`);
    const all = await timed(options.runs, base, authorization);
    const oneOwner = await timed(
      options.runs,
      `${base}?owner=${encodeURIComponent(ownerOf(7))}`,
      authorization,
    );
    const csvAll = await timed(
      options.runs,
      `${base}?format=csv`,
      authorization,
    );
    return {
      summaries: options.entities,
      entriesPerSummary:
        templates.reduce((n, t) => n + t.entries.length, 0) / templates.length,
      all,
      oneOwner,
      csvAll,
    };
  } finally {
    await backend.stop();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureScan(options: {
  entities: number;
  latencyMs: number;
  concurrencyPerCluster: number;
}): Promise<ExposureResult['scan']> {
  // Ten pods a Service in the synthetic cluster: one entity per Service.
  const pods = options.entities * 10;
  const objects = JSON.parse(syntheticCluster(pods).text).items;
  const cluster = await startDemoCluster({
    objects,
    token,
    latencyMs: options.latencyMs,
  });
  const host = new URL(cluster.url).host;
  let inFlight = 0;
  let maxInFlight = 0;
  const started = new WeakSet<object>();
  const onStart = (message: any) => {
    if (message.request?.getHeader?.('host') !== host) return;
    started.add(message.request);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
  };
  const onEnd = (message: any) => {
    if (!started.has(message.request)) return;
    started.delete(message.request);
    inFlight--;
  };
  subscribe('http.client.request.start', onStart);
  subscribe('http.client.response.finish', onEnd);
  subscribe('http.client.request.error', onEnd);
  const entities = Array.from({ length: options.entities }, (_, s) =>
    component(`svc-${s}`, `group:default/team-${s % 10}`, {
      'backstage.io/kubernetes-label-selector': `app=svc-${s}`,
      'backstage.io/kubernetes-namespace': `team-${Math.floor(
        (s * 10) / 1000,
      )}`,
    }),
  );
  const scheduler = manualScheduler();
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      trafficPathPlugin,
      catalogServiceMock.factory({ entities }),
      scheduler.factory,
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
          trafficPath: {
            clusterTimeoutSeconds: 30,
            // The scan without the live model (the case): its reads are the only
            // requests the cluster counts, and at most 8 are in flight.
            watch: { enabled: false },
            exposure: {
              scan: { concurrencyPerCluster: options.concurrencyPerCluster },
            },
          },
        },
      }),
    ],
  });
  try {
    progress(`scanning ${options.entities} entities over ${pods} pods`);
    const before = cluster.requests.length;
    const t0 = performance.now();
    await scheduler.scan();
    const durationMs = performance.now() - t0;
    const { port } = backend.server.address() as { port: number };
    const items: StoredSummary[] = JSON.parse(
      (
        await getText(
          `http://localhost:${port}/api/traffic-path/v1/exposure`,
          mockCredentials.user.header(),
        )
      ).body,
    ).items;
    const failed = items.filter(i => i.error);
    if (failed.length)
      throw new Error(
        `scan: ${failed.length} clusters failed, e.g. ${
          failed[0].error!.message
        }`,
      );
    return {
      entities: options.entities,
      pods,
      latencyMs: options.latencyMs,
      durationMs,
      summaries: items.length,
      clusterRequests: cluster.requests.length - before,
      maxInFlight,
      concurrencyPerCluster: options.concurrencyPerCluster,
    };
  } finally {
    unsubscribe('http.client.request.start', onStart);
    unsubscribe('http.client.response.finish', onEnd);
    unsubscribe('http.client.request.error', onEnd);
    await backend.stop();
    await cluster.close();
  }
}

/**
 * With the live model: 5,000 entities over the 50k-pod synthetic cluster,
 * the model lists and watches it, and the first batch writes every
 * summary. Timed from the model ready (the first answer in watch mode) to
 * the last summary in the store, no scan run.
 */
async function measureLive(options: {
  entities: number;
  latencyMs: number;
}): Promise<LiveResult> {
  const pods = options.entities * 10;
  const objects = JSON.parse(syntheticCluster(pods).text).items;
  const cluster = await startDemoCluster({
    objects,
    token,
    latencyMs: options.latencyMs,
  });
  const dir = mkdtempSync(join(tmpdir(), 'traffic-path-bench-live-'));
  const entities = Array.from({ length: options.entities }, (_, s) =>
    component(`svc-${s}`, `group:default/team-${s % 10}`, {
      'backstage.io/kubernetes-label-selector': `app=svc-${s}`,
      'backstage.io/kubernetes-namespace': `team-${Math.floor(
        (s * 10) / 1000,
      )}`,
    }),
  );
  // The product's default: a pass starts this long after the batch.
  const delaySeconds = 10;
  const scheduler = manualScheduler();
  const before = cluster.requests.length;
  const t0 = performance.now();
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      trafficPathPlugin,
      catalogServiceMock.factory({ entities }),
      scheduler.factory,
      mockServices.database.factory(),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: {
              client: 'better-sqlite3',
              connection: { directory: dir },
            },
          },
          kubernetes: kubernetesConfigFor([
            {
              name: 'demo',
              url: cluster.url,
              certificate: cluster.certificate,
              token,
            },
          ]),
          trafficPath: {
            clusterTimeoutSeconds: 30,
            watch: { enabled: true },
            exposure: {
              scan: {
                initialDelaySeconds: 3600,
                onChange: { enabled: true, delaySeconds },
              },
            },
          },
        },
      }),
    ],
  });
  try {
    const { port } = backend.server.address() as { port: number };
    const base = `http://localhost:${port}/api/traffic-path/v1`;
    const authorization = mockCredentials.user.header();
    progress(
      `live: ${options.entities} entities over ${pods} pods; waiting for the model`,
    );
    let readyAt = 0;
    for (;;) {
      const res = await getText(
        `${base}/routes?entityRef=${encodeURIComponent(
          'component:default/svc-0',
        )}`,
        authorization,
      );
      if (
        res.status === 200 &&
        JSON.parse(res.body).clusters?.[0]?.mode === 'watch'
      ) {
        readyAt = performance.now();
        break;
      }
      if (performance.now() - t0 > 300_000)
        throw new Error(
          `live: the model was not ready in 300 s: ${res.body.slice(0, 300)}`,
        );
      await new Promise(r => setTimeout(r, 200));
    }
    progress(
      `live: model ready in ${((readyAt - t0) / 1000).toFixed(
        1,
      )} s; waiting for the summaries`,
    );
    let summaries = 0;
    let writtenAt = 0;
    for (;;) {
      const res = await getText(`${base}/exposure`, authorization);
      if (res.status === 200) {
        const items: StoredSummary[] = JSON.parse(res.body).items;
        summaries = items.filter(i => i.scannedAt).length;
        if (summaries >= options.entities) {
          writtenAt = performance.now();
          break;
        }
      }
      if (performance.now() - readyAt > 600_000)
        throw new Error(`live: only ${summaries} summaries after 600 s`);
      await new Promise(r => setTimeout(r, 500));
    }
    return {
      entities: options.entities,
      pods,
      latencyMs: options.latencyMs,
      delaySeconds,
      readyMs: readyAt - t0,
      writtenMs: writtenAt - readyAt,
      summaries,
      clusterRequests: cluster.requests.length - before,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    };
  } finally {
    await backend.stop();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runExposureBenchmark(
  root: string,
  options: { entities: number; scanEntities: number; runs: number },
): Promise<ExposureResult> {
  const api = await measureApi(root, {
    entities: options.entities,
    runs: options.runs,
  });
  const scan = await measureScan({
    entities: options.scanEntities,
    latencyMs: 20,
    concurrencyPerCluster: 8,
  });
  const live = await measureLive({
    entities: options.entities,
    latencyMs: 20,
  });
  return { ...api, scan, live };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

export function exposureSummary(r: ExposureResult): string {
  return [
    `exposure API, ${r.summaries} summaries: all p95 ${ms(
      r.all.p95,
    )}, one owner p95 ${ms(r.oneOwner.p95)}, CSV p95 ${ms(r.csvAll.p95)}`,
    `exposure scan: ${r.scan.entities} entities in ${(
      r.scan.durationMs / 1000
    ).toFixed(1)} s at ${r.scan.latencyMs} ms per call, ${
      r.scan.clusterRequests
    } API calls, at most ${r.scan.maxInFlight} in flight`,
    `exposure live: ${r.live.entities} summaries over ${
      r.live.pods
    } pods written ${(r.live.writtenMs / 1000).toFixed(
      1,
    )} s after the model was ready (${(r.live.readyMs / 1000).toFixed(
      1,
    )} s after start)`,
  ].join('\n');
}

export function exposureMarkdown(r: ExposureResult): string {
  return [
    `The exposure API over ${
      r.summaries
    } stored summaries (${r.entriesPerSummary.toFixed(
      1,
    )} entry points each, SQLite file, the catalog's visibility check through the catalog service mock included), ${
      r.all.n
    } requests each, one after the other:`,
    '',
    '| request | p50 | p95 | target |',
    '| --- | --- | --- | --- |',
    `| \`GET /v1/exposure\` (all ${r.summaries}) | ${ms(r.all.p50)} | ${ms(
      r.all.p95,
    )} | ≤ 200 ms p95 |`,
    `| \`GET /v1/exposure?owner=…\` (${r.summaries / 50}) | ${ms(
      r.oneOwner.p50,
    )} | ${ms(r.oneOwner.p95)} | ≤ 200 ms p95 |`,
    `| \`GET /v1/exposure?format=csv\` (all) | ${ms(r.csvAll.p50)} | ${ms(
      r.csvAll.p95,
    )} | |`,
    '',
    `A full scheduled scan of ${
      r.scan.entities
    } entities (label selectors over a synthetic cluster of ${
      r.scan.pods
    } pods served by the demo cluster, ${
      r.scan.latencyMs
    } ms added to every API call, through the Kubernetes backend and its Traffic Path module, cache at its default): **${(
      r.scan.durationMs / 1000
    ).toFixed(1)} s** (target: under 60 s), ${
      r.scan.summaries
    } summaries written, ${r.scan.clusterRequests} API calls, at most **${
      r.scan.maxInFlight
    }** requests in flight to the cluster (limit ${
      r.scan.concurrencyPerCluster
    }).`,
    '',
    `With the live model: ${
      r.live.entities
    } entities (label selectors and namespaces) over the synthetic cluster of ${
      r.live.pods
    } pods, ${
      r.live.latencyMs
    } ms added to every API call, no scan run. The model was ready (the first answer from it) ${(
      r.live.readyMs / 1000
    ).toFixed(1)} s after the backend started; every summary was written **${(
      r.live.writtenMs / 1000
    ).toFixed(1)} s** after that (target: within 60 s; the first pass starts ${
      r.live.delaySeconds
    } s after the batch: \`trafficPath.exposure.scan.onChange.delaySeconds\`, its default), ${
      r.live.summaries
    } summaries, ${
      r.live.clusterRequests
    } API calls in all (the lists and watches), process RSS ${r.live.rssMb.toFixed(
      0,
    )} MB with the demo cluster in the same process.`,
  ].join('\n');
}
