/*
 * Engine benchmark: load (parse the JSON dump) and resolve (index, routes,
 * findings) for synthetic clusters of 1k, 10k and 50k pods. Each size runs in
 * a fresh process pinned to one core, so that peak memory is its own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  parseDocuments,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { ClusterSize, syntheticCluster } from './syntheticCluster';

export type EngineResult = {
  size: ClusterSize;
  objects: number;
  routes: number;
  findings: number;
  loadMs: number;
  /** JSON.parse alone, the part of load that is V8's. */
  jsonParseMs: number;
  resolveMs: number;
  /** The fastest and slowest measured resolve: how noisy the machine was. */
  resolveMinMs: number;
  resolveMaxMs: number;
  /** The first resolve in a fresh process, before the JIT has warmed up. */
  firstResolveMs: number;
  totalMs: number;
  /** Heap in use with the parsed objects, after a full collection. */
  objectsHeapMb: number;
  /** Heap used when a resolve ends, before anything is collected: objects, index, report and garbage. */
  peakHeapMb: number;
  peakRssMb: number;
  runs: number;
};

const WARM_UP = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs in the child: measures one size, prints one JSON line. */
export function measureEngine(pods: number, runs: number): EngineResult {
  const cluster: { text?: string; size: ClusterSize } = syntheticCluster(pods);
  const { size } = cluster;
  const gc = (globalThis as { gc?: () => void }).gc;
  const loads: number[] = [];
  const jsonParses: number[] = [];
  const resolves: number[] = [];
  let last: { objects: number; routes: number; findings: number } = {
    objects: 0,
    routes: 0,
    findings: 0,
  };
  let peakHeap = 0;
  // Load and resolve are measured in separate loops, so that each phase's
  // garbage is collected in its own phase. Warm-up runs let the JIT settle, as
  // it has in a backend that has answered a few requests; the first resolve is
  // reported too.
  let load = parseDocuments('cluster.json', cluster.text!);
  for (let i = 0; i < runs + WARM_UP; i++) {
    gc?.();
    const t0 = performance.now();
    load = parseDocuments('cluster.json', cluster.text!);
    if (i >= WARM_UP) loads.push(performance.now() - t0);
    gc?.();
    const t1 = performance.now();
    JSON.parse(cluster.text!);
    if (i >= WARM_UP) jsonParses.push(performance.now() - t1);
  }
  // Drop the JSON text, so that the heap figures are the objects' and the resolve's.
  delete cluster.text;
  gc?.();
  const objectsHeap = process.memoryUsage().heapUsed;
  let firstResolveMs = 0;
  for (let i = 0; i < runs + WARM_UP; i++) {
    gc?.();
    const t0 = performance.now();
    const report = resolveReport(load);
    const elapsed = performance.now() - t0;
    // No collection runs during one resolve at these sizes (checked with
    // --trace-gc), so the heap in use when it ends is its peak.
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    if (i === 0) firstResolveMs = elapsed;
    if (i < WARM_UP) continue;
    resolves.push(elapsed);
    last = {
      objects: load.objects.length,
      routes: report.routes.length,
      findings: report.findings.length,
    };
  }
  return {
    size,
    ...last,
    loadMs: median(loads),
    jsonParseMs: median(jsonParses),
    resolveMs: median(resolves),
    resolveMinMs: Math.min(...resolves),
    resolveMaxMs: Math.max(...resolves),
    firstResolveMs,
    totalMs: median(loads.map((l, i) => l + resolves[i])),
    objectsHeapMb: objectsHeap / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    runs,
  };
}

/** Runs in the parent: one child per size, pinned to CPU 0 when taskset exists. */
export function runEngineBenchmarks(
  binPath: string,
  sizes: number[],
  runs: number,
): EngineResult[] {
  return sizes.map(pods => {
    const nodeArgs = [
      '--expose-gc',
      binPath,
      'engine-run',
      String(pods),
      String(runs),
    ];
    const pinned = existsSync('/usr/bin/taskset');
    const result = pinned
      ? spawnSync(
          '/usr/bin/taskset',
          ['-c', '0', process.execPath, ...nodeArgs],
          { encoding: 'utf8', maxBuffer: 1 << 24 },
        )
      : spawnSync(process.execPath, nodeArgs, {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        });
    if (result.status !== 0)
      throw new Error(
        `engine benchmark for ${pods} pods failed: ${result.stderr}`,
      );
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as EngineResult;
  });
}

export function engineMarkdown(
  results: EngineResult[],
  pinned: boolean,
): string {
  const rows = results.map(r => {
    const perPod = (ms: number) => ((ms / r.size.pods) * 1000).toFixed(2);
    return `| ${r.size.pods.toLocaleString(
      'en',
    )} | ${r.size.services.toLocaleString(
      'en',
    )} | ${r.size.ingresses.toLocaleString('en')} | ${(
      r.size.httpRoutes ?? 0
    ).toLocaleString('en')} | ${(r.size.networkPolicies ?? 0).toLocaleString(
      'en',
    )} | ${r.objects.toLocaleString('en')} | ${r.routes.toLocaleString(
      'en',
    )} | ${r.loadMs.toFixed(1)} | ${r.jsonParseMs.toFixed(
      1,
    )} | **${r.resolveMs.toFixed(1)}** | ${r.resolveMinMs.toFixed(
      0,
    )}–${r.resolveMaxMs.toFixed(0)} | ${r.firstResolveMs.toFixed(
      1,
    )} | ${r.totalMs.toFixed(1)} | ${perPod(r.loadMs)} | ${perPod(
      r.resolveMs,
    )} | ${r.objectsHeapMb.toFixed(0)} | ${r.peakHeapMb.toFixed(
      0,
    )} | ${r.peakRssMb.toFixed(0)} |`;
  });
  const largest = results[results.length - 1];
  const target =
    largest.size.pods >= 50000
      ? `\n\nTarget: 50k pods, 5k Services, 2k Ingresses, 500 HTTPRoutes through a Gateway and a NetworkPolicy per namespace resolved in under 300 ms on one core — **${
          largest.resolveMs < 300 ? 'met' : 'NOT met'
        }** (resolve ${largest.resolveMs.toFixed(
          1,
        )} ms; load + resolve ${largest.totalMs.toFixed(1)} ms).`
      : '';
  const table = [
    '| pods | Services | Ingresses | HTTPRoutes | NetworkPolicies | objects | routes | load ms | of which JSON.parse ms | resolve ms | resolve min–max ms | first resolve ms | load + resolve ms | load µs per pod | resolve µs per pod | heap after load MB | peak heap MB | peak RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  const how = `Median of ${
    largest.runs
  } runs after ${WARM_UP} warm-up runs ("first resolve" is the very first, cold), each size in a fresh Node.js process${
    pinned ? ' pinned to one core (`taskset -c 0`)' : ''
  }. "load" parses the \`kubectl get -o json\` text; "resolve" indexes the objects and computes routes, hop tables and findings. Growth is linear when "µs per pod" stays flat; "JSON.parse" is V8's parse of the same text alone, without the engine's checks. "heap after load" is the heap in use with the parsed objects (and the process's own few MB); "peak heap" is the heap in use when a resolve ends (objects, index, report and the resolve's garbage; no collection runs during one resolve).`;
  return `${table}${target}\n\n${how}`;
}
