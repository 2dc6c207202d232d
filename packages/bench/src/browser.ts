/*
 * The card in the real browser (Debian's Chromium): how long a route with
 * 500 pods takes to render after its data arrives, and how much the plugin
 * adds to the app bundle (gzipped, beyond what the app already ships).
 * And the review page with thousands of entities' stored summaries: the
 * first page of the table on screen, a filter and a sort over all rows.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Browser, chromium } from 'playwright-core';
import {
  EntityRoutes,
  Endpoint,
  exposureOf,
  loadObjects,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { loadInputs } from '@internal/traffic-path-cli';

export type ReviewResult = {
  entities: number;
  entryPoints: number;
  jsonBytes: number;
  /** The answer's text → the table's first page painted. */
  renderMs: { p50: number; p95: number; first: number };
  /** Rows in the DOM once painted (the page, not all entry points). */
  domRows: number;
  /** "Public only" switched on, over all rows. */
  filterMs: { p50: number; p95: number };
  filterSubtitle: string;
  /** A click on the Component column's sort. */
  sortMs: { p50: number; p95: number };
};

export type BrowserResult = {
  pods: number;
  parseMs: { p50: number; p95: number };
  renderMs: { p50: number; p95: number; first: number };
  nodes: number;
  rows: number;
  bundleGzipBytes: number;
  bundleBreakdown: { name: string; bytes: number }[];
  review?: ReviewResult;
};

const progress = (line: string) =>
  process.stderr.write(`bench browser: ${line}\n`);

/** Packages an app built with Backstage ships anyway: not counted as added by the plugin. */
const alreadyInApp = [
  'react',
  'react-dom',
  'react/*',
  'react-dom/*',
  'react-router',
  'react-router-dom',
  '@backstage/*',
  '@mui/*',
  '@material-ui/*',
];

/** The app1 route of seed 004 with its pod hop grown to `pods` endpoints on 20 nodes. */
export function bigRoute(root: string, pods: number): EntityRoutes {
  const report = resolveReport(
    loadObjects(
      loadInputs([join(root, 'test/scenarios/seed-004/cluster')]).objects,
    ),
  );
  const route = report.routes.find(r => r.entry.host === 'app1.qas.abc.com')!;
  const template = (
    route.hops.find(h => h.kind === 'pod') as { endpoints: Endpoint[] }
  ).endpoints[0];
  const endpoints = Array.from({ length: pods }, (_, i) => ({
    ...template,
    pod: `app1-7d9c5b8f6-${i.toString(36).padStart(5, '0')}`,
    address: `10.17.${10 + (i >> 8)}.${i & 255}`,
    node: `cn-shanghai.10.17.10.${i % 20}`,
    ready: i % 50 !== 0,
  }));
  const hops = route.hops.map(h => {
    if (h.kind === 'pod') return { ...h, endpoints };
    if (h.kind === 'container')
      return {
        ...h,
        targets: endpoints.map(e => ({
          pod: e.pod!,
          container: 'app1',
          port: 8080,
          portName: 'http',
          declared: true,
        })),
      };
    return h;
  });
  return {
    entityRef: 'component:default/app1',
    configured: true,
    clusters: [
      {
        cluster: 'demo',
        report: { ...report, routes: [{ ...route, hops }] },
        warnings: [],
        apiCalls: 10,
      },
    ],
  };
}

/**
 * The exposure API's answer for `entities` stored summaries: seed 004's
 * three services (their real entry points, made by the engine) as
 * templates, each copy with its own host, spread over 50 owners and two
 * clusters, scanned over the last day.
 */
export function reviewAnswer(root: string, entities: number) {
  const { entries } = exposureOf(
    resolveReport(
      loadObjects(
        loadInputs([join(root, 'test/scenarios/seed-004/cluster')]).objects,
      ),
    ),
  );
  const templates = ['app1', 'app2', 'app3'].map(app =>
    entries
      .filter(e => e.backend?.name === `${app}-service`)
      // The API leaves out the client verdict and the object list.
      .map(({ verdict: _v, objects: _o, ...entry }) => entry),
  );
  const day = Date.parse('2026-12-01T00:00:00.000Z');
  const items = Array.from({ length: entities }, (_, i) => {
    const name = `svc-${i}`;
    return {
      entityRef: `component:default/${name}`,
      owner: `group:default/team-${i % 50}`,
      system: `system:default/system-${i % 20}`,
      cluster: i % 2 ? 'shop' : 'demo',
      scannedAt: new Date(day - ((i * 17_000) % 86_400_000)).toISOString(),
      entries: templates[i % 3].map(e => ({
        ...e,
        key: e.key.replace(/^[^/ ]+/, `${name}.qas.abc.com`),
        ...(e.host ? { host: `${name}.qas.abc.com` } : {}),
      })),
    };
  });
  return {
    json: JSON.stringify({ items }),
    entryPoints: items.reduce((n, i) => n + Math.max(1, i.entries.length), 0),
  };
}

async function bundleHarness(
  root: string,
  dir: string,
  harness = 'harness',
): Promise<string> {
  await build({
    entryPoints: [join(root, `packages/bench/src/browser/${harness}.tsx`)],
    bundle: true,
    minify: true,
    format: 'iife',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    // Assets of packages reachable from the plugin's entry point; the view draws none of them.
    loader: {
      '.svg': 'dataurl',
      '.png': 'dataurl',
      '.woff': 'empty',
      '.woff2': 'empty',
      '.css': 'empty',
    },
    outfile: join(dir, `${harness}.js`),
    logLevel: 'error',
  });
  writeFileSync(
    join(dir, `${harness}.html`),
    `<!doctype html><html><body><div id="root"></div><script src="${harness}.js"></script></body></html>`,
  );
  return join(dir, `${harness}.html`);
}

/** What the plugin adds, gzipped: its code and the packages only it brings (d3 modules, the engine's exporters). */
async function pluginBundleSize(
  root: string,
  dir: string,
): Promise<{ total: number; breakdown: { name: string; bytes: number }[] }> {
  const result = await build({
    entryPoints: [join(root, 'plugins/traffic-path/src/alpha.tsx')],
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    jsx: 'automatic',
    external: alreadyInApp,
    outdir: join(dir, 'plugin'),
    metafile: true,
    logLevel: 'error',
  });
  let total = 0;
  for (const file of Object.keys(result.metafile.outputs).filter(f =>
    f.endsWith('.js'),
  ))
    total += gzipSync(
      readFileSync(join(root, file).startsWith('/') ? file : join(root, file)),
      { level: 9 },
    ).length;
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = input.includes('node_modules/')
        ? input
            .replace(/.*node_modules\//, '')
            .split('/')
            .slice(0, input.includes('node_modules/@') ? 2 : 1)
            .join('/')
        : input.split('/').slice(0, 2).join('/');
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return {
    total,
    breakdown: [...byPackage]
      .map(([name, bytes]) => ({ name, bytes }))
      .sort((a, b) => b.bytes - a.bytes),
  };
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)
  ];

const stats = (xs: number[]) => ({
  p50: quantile(xs, 0.5),
  p95: quantile(xs, 0.95),
});

/** The review page with `entities` summaries: render, then "Public only" and a sort, `runs` times each. */
async function measureReview(
  root: string,
  dir: string,
  browser: Browser,
  options: { entities: number; runs: number },
): Promise<ReviewResult> {
  const page = await bundleHarness(root, dir, 'reviewHarness');
  const answer = reviewAnswer(root, options.entities);
  const tab = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  tab.on('pageerror', e => progress(`review page: ${e.message}`));
  await tab.goto(`file://${page}`);
  // The app around the page has rendered before: a small answer first.
  await tab.evaluate(j => window.renderReview(j), reviewAnswer(root, 3).json);
  const renders: number[] = [];
  const filters: number[] = [];
  const sorts: number[] = [];
  let domRows = 0;
  let filterSubtitle = '';
  for (let i = 0; i < options.runs + 1; i++) {
    const r = await tab.evaluate(j => window.renderReview(j), answer.json);
    renders.push(r.renderMs);
    domRows = r.rows;
    const on = await tab.evaluate(() =>
      window.timeClick('input[type="checkbox"][name="publicOnly"]'),
    );
    filters.push(on.ms);
    filterSubtitle = on.subtitle;
    await tab.evaluate(() =>
      window.timeClick('input[type="checkbox"][name="publicOnly"]'),
    );
    const sorted = await tab.evaluate(() =>
      window.timeClick('th .MuiTableSortLabel-root'),
    );
    sorts.push(sorted.ms);
  }
  await tab.close();
  const [first, ...rest] = renders;
  return {
    entities: options.entities,
    entryPoints: answer.entryPoints,
    jsonBytes: answer.json.length,
    renderMs: { ...stats(rest), first },
    domRows,
    filterMs: stats(filters.slice(1)),
    filterSubtitle,
    sortMs: stats(sorts.slice(1)),
  };
}

export async function runBrowserBenchmark(
  root: string,
  options: {
    pods: number;
    runs: number;
    chromium: string;
    /** Summaries on the review page; 5,000 when not given. */
    reviewEntities?: number;
  },
): Promise<BrowserResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-browser-'));
  const page = await bundleHarness(root, dir);
  const size = await pluginBundleSize(root, dir);
  const json = JSON.stringify(bigRoute(root, options.pods));
  const browser = await chromium.launch({
    executablePath: options.chromium,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const tab = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    await tab.goto(`file://${page}`);
    // The app around the card has rendered before (React and MUI are warm): one small route first.
    await tab.evaluate(
      j => window.renderRoutes(j),
      JSON.stringify(bigRoute(root, 2)),
    );
    const runs: {
      parseMs: number;
      renderMs: number;
      nodes: number;
      rows: number;
    }[] = [];
    for (let i = 0; i < options.runs + 1; i++)
      runs.push(await tab.evaluate(j => window.renderRoutes(j), json));
    const [first, ...rest] = runs;
    await tab.close();
    const review = await measureReview(root, dir, browser, {
      entities: options.reviewEntities ?? 5000,
      runs: Math.max(3, Math.ceil(options.runs / 2)),
    });
    return {
      pods: options.pods,
      parseMs: {
        p50: quantile(
          rest.map(r => r.parseMs),
          0.5,
        ),
        p95: quantile(
          rest.map(r => r.parseMs),
          0.95,
        ),
      },
      renderMs: {
        p50: quantile(
          rest.map(r => r.renderMs),
          0.5,
        ),
        p95: quantile(
          rest.map(r => r.renderMs),
          0.95,
        ),
        first: first.renderMs,
      },
      nodes: first.nodes,
      rows: first.rows,
      bundleGzipBytes: size.total,
      bundleBreakdown: size.breakdown.slice(0, 8),
      review,
    };
  } finally {
    await browser.close();
  }
}

export function browserMarkdown(r: BrowserResult): string {
  const kb = (b: number) => (b / 1024).toFixed(1);
  return [
    `A route with **${r.pods} pods** on 20 nodes (the app1 route of seed 004, its pod hop grown), rendered by the Traffic Path view in Debian's Chromium (headless): ${r.nodes} graph nodes drawn, ${r.rows} table rows.`,
    '',
    '| measure | p50 ms | p95 ms | first run ms |',
    '|---|---:|---:|---:|',
    `| JSON parse of the answer | ${r.parseMs.p50.toFixed(
      1,
    )} | ${r.parseMs.p95.toFixed(1)} | |`,
    `| data → painted (parse, React render and commit, next frame) | ${r.renderMs.p50.toFixed(
      1,
    )} | ${r.renderMs.p95.toFixed(1)} | ${r.renderMs.first.toFixed(1)} |`,
    '',
    `Target: under 300 ms after the data arrives — **${
      r.renderMs.p95 < 300 && r.renderMs.first < 300 ? 'met' : 'NOT met'
    }** (p95 ${r.renderMs.p95.toFixed(
      1,
    )} ms, first run ${r.renderMs.first.toFixed(1)} ms).`,
    '',
    `Bundle: the plugin adds **${kb(
      r.bundleGzipBytes,
    )} kB gzipped** to the app (its code and what only it brings; React, MUI and the Backstage packages the app ships anyway are not counted) — target under 150 kB: **${
      r.bundleGzipBytes < 150 * 1024 ? 'met' : 'NOT met'
    }**. Largest parts before gzip: ${r.bundleBreakdown
      .map(b => `${b.name} ${kb(b.bytes)} kB`)
      .join(', ')}.`,
    '',
    '"First run" is the first 500-pod render in the page, after one render of a 2-pod route (the app around the card has rendered React and MUI before); the other runs re-render from scratch on the same page. Pods are drawn as one group node until expanded (at most 24 one by one), so the graph stays small; the hop table has one row per step, not per pod. Measured with esbuild (minified, split like the app\'s lazy chunks) and `packages/bench/src/browser/harness.tsx`.',
    ...(r.review ? ['', reviewMarkdown(r.review)] : []),
  ].join('\n');
}

export function reviewMarkdown(r: ReviewResult): string {
  const ms = (x: number) => x.toFixed(1);
  return [
    `**The review page** (\`/traffic-path\`) with **${r.entities.toLocaleString(
      'en-US',
    )} entities' stored summaries** (${r.entryPoints.toLocaleString(
      'en-US',
    )} entry points, seed 004's three services as templates over 50 owners and two clusters; the answer is ${(
      r.jsonBytes /
      1024 /
      1024
    ).toFixed(
      1,
    )} MB of JSON), in Backstage's test app with the exposure API answering that text:`,
    '',
    '| measure | p50 ms | p95 ms | first run ms |',
    '|---|---:|---:|---:|',
    `| answer → table's first page painted (parse, rows, render) | ${ms(
      r.renderMs.p50,
    )} | ${ms(r.renderMs.p95)} | ${ms(r.renderMs.first)} |`,
    `| "Public only" switched on → table repainted (${r.filterSubtitle}) | ${ms(
      r.filterMs.p50,
    )} | ${ms(r.filterMs.p95)} | |`,
    `| sort by Component → table repainted | ${ms(r.sortMs.p50)} | ${ms(
      r.sortMs.p95,
    )} | |`,
    '',
    `The table renders one page (${
      r.domRows
    } rows in the DOM): the filters, the search, the sort and the paging run over all rows in the page's own code (the table's remote data), so the table neither copies nor deep-compares ${r.entities.toLocaleString(
      'en-US',
    )} rows on each change. Measured with \`packages/bench/src/browser/reviewHarness.tsx\`.`,
  ].join('\n');
}
