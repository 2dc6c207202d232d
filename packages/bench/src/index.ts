/*
 * `yarn bench`: runs the benchmarks and writes their results into
 * docs/benchmarks.md, between markers, so each section keeps its place.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { engineMarkdown, measureEngine, runEngineBenchmarks } from './engine';

/** The repository root: `yarn bench` runs from it; look upwards to be sure. */
function repositoryRoot(): string {
  let dir = process.cwd();
  while (
    !existsSync(join(dir, 'docs')) ||
    !existsSync(join(dir, 'packages/bench'))
  ) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('run yarn bench inside the traffic-path repository');
    dir = parent;
  }
  return dir;
}

/** In the repository's own format, so that `prettier --check` (part of the tests) passes. */
function formatMarkdown(path: string, text: string): string {
  // prettier 2 (the repository's formatter) ships no types: the two calls used here.
  const prettier = require('prettier') as {
    resolveConfig: { sync(file: string): Record<string, unknown> | null };
    format(source: string, options: Record<string, unknown>): string;
  };
  const options = prettier.resolveConfig.sync(path) ?? {};
  return prettier.format(text, { ...options, filepath: path });
}

function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i)
    return doc.slice(0, i) + block + doc.slice(j + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

export function run(args: string[]): void {
  main(args)
    .catch(e => {
      process.stderr.write(
        `bench: ${e instanceof Error ? e.stack : String(e)}\n`,
      );
      process.exitCode = 1;
    })
    // A part's backend can leave handles open (the Kubernetes client's timers, a
    // scheduler): the run is over when its parts are, not when they are all gone.
    .finally(() => process.exit());
}

type Part = {
  /** The heading of its section in docs/benchmarks.md. */
  title: string;
  /** Runs the part; returns a one-line summary for the terminal and its section's body. */
  measure(ctx: {
    root: string;
    quick: boolean;
    bin: string;
  }): Promise<{ summary: string; markdown: string }>;
};

// Each part is loaded when it runs: the engine's child processes must not carry a whole backend.
const parts: Record<string, Part> = {
  engine: {
    title: 'Engine: load and resolve',
    async measure({ quick, bin }) {
      const sizes = quick ? [1000, 10000] : [1000, 10000, 50000];
      // bin is this very script: the children run it again, one per size. Many runs: this
      // kind of VM is noisy, and a median of few moves by tens of milliseconds.
      const results = runEngineBenchmarks(bin, sizes, quick ? 3 : 15);
      return {
        summary: results
          .map(
            r =>
              `engine ${r.size.pods} pods: load ${r.loadMs.toFixed(
                1,
              )} ms, resolve ${r.resolveMs.toFixed(
                1,
              )} ms, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
          )
          .join('\n'),
        markdown: engineMarkdown(results, existsSync('/usr/bin/taskset')),
      };
    },
  },
  backend: {
    title: 'Backend: the routes endpoint against the Kubernetes backend',
    async measure({ root, quick }) {
      const { backendMarkdown, runBackendBenchmark } =
        require('./backend') as typeof import('./backend');
      const backend = await runBackendBenchmark(root, {
        latencyMs: 50,
        cold: quick ? 10 : 40,
        warm: quick ? 50 : 300,
      });
      return {
        summary: `backend: Kubernetes backend p50 ${backend.kubernetesBackend.p50.toFixed(
          1,
        )} ms, routes cold p50 ${backend.trafficPathCold.p50.toFixed(
          1,
        )} ms, warm p95 ${backend.trafficPathWarm.p95.toFixed(1)} ms, ${
          backend.trafficPathCallsCold
        } calls cold`,
        markdown: backendMarkdown(backend),
      };
    },
  },
  watch: {
    title: 'Live cluster model: watch once, answer from memory',
    async measure({ quick, bin }) {
      const { runWatchBenchmarks, watchMarkdown } =
        require('./watch') as typeof import('./watch');
      const result = runWatchBenchmarks(
        bin,
        quick ? [1000, 10000] : [1000, 10000, 50000],
        {
          warm: quick ? 100 : 300,
          changes: quick ? 6 : 20,
          steadySeconds: quick ? 10 : 60,
        },
      );
      const big = result.runs[result.runs.length - 1];
      return {
        summary: `watch ${big.pods} pods: ready in ${big.startToReadyMs.toFixed(
          0,
        )} ms, warm p95 ${big.warm.p95.toFixed(
          1,
        )} ms, change visible p95 ${big.changeVisible.p95.toFixed(0)} ms`,
        markdown: watchMarkdown(result),
      };
    },
  },
  exposure: {
    title: 'Ownership review: the exposure API and the scheduled scan',
    async measure({ root, quick }) {
      const { exposureMarkdown, exposureSummary, runExposureBenchmark } =
        require('./exposure') as typeof import('./exposure');
      const result = await runExposureBenchmark(root, {
        entities: quick ? 1000 : 5000,
        scanEntities: quick ? 100 : 500,
        runs: quick ? 10 : 50,
      });
      return {
        summary: exposureSummary(result),
        markdown: exposureMarkdown(result),
      };
    },
  },
  browser: {
    title: 'Card: render time and bundle size',
    async measure({ root, quick }) {
      const { browserMarkdown, runBrowserBenchmark } =
        require('./browser') as typeof import('./browser');
      const result = await runBrowserBenchmark(root, {
        pods: 500,
        runs: quick ? 5 : 20,
        chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      });
      return {
        summary: `browser: 500 pods rendered in p50 ${result.renderMs.p50.toFixed(
          1,
        )} ms (first ${result.renderMs.first.toFixed(1)} ms); plugin adds ${(
          result.bundleGzipBytes / 1024
        ).toFixed(1)} kB gzipped`,
        markdown: browserMarkdown(result),
      };
    },
  },
  cli: {
    title: 'Command line: check and diff end to end',
    async measure({ root, quick }) {
      const { cliMarkdown, cliSummary, runCliBenchmark } =
        require('./cli') as typeof import('./cli');
      const result = runCliBenchmark(root, {
        pods: quick ? 10000 : 50000,
        runs: quick ? 3 : 7,
      });
      return { summary: cliSummary(result), markdown: cliMarkdown(result) };
    },
  },
};

/**
 * `yarn bench [part…] [--quick]`: every part, or the ones named, each
 * written into its own section of docs/benchmarks.md (`--quick`: smaller
 * sizes, printed only, the file left as it is).
 */
async function main(args: string[]): Promise<void> {
  if (args[0] === 'engine-run') {
    process.stdout.write(
      `${JSON.stringify(
        measureEngine(Number(args[1]), Number(args[2] ?? 5)),
      )}\n`,
    );
    return;
  }
  if (args[0] === 'watch-run') {
    const { watchCommand } = require('./watch') as typeof import('./watch');
    await watchCommand(args, process.argv[1]);
    return;
  }
  const quick = args.includes('--quick');
  const named = args.filter(a => !a.startsWith('--'));
  const unknown = named.filter(n => !(n in parts));
  if (unknown.length > 0)
    throw new Error(
      `unknown part ${unknown.join(', ')}: the parts are ${Object.keys(
        parts,
      ).join(', ')}`,
    );
  const chosen = named.length > 0 ? named : Object.keys(parts);
  const root = repositoryRoot();
  const docPath = join(root, 'docs/benchmarks.md');
  for (const name of chosen) {
    const part = parts[name];
    const machine = `Measured on ${new Date().toISOString().slice(0, 10)}: ${
      cpus()[0]?.model ?? 'unknown CPU'
    }, ${cpus().length} cores, Node.js ${
      process.version
    }, load average ${loadavg()[0].toFixed(
      1,
    )} at the start. Reproduce with \`yarn bench ${name}\`.`;
    const result = await part.measure({ root, quick, bin: process.argv[1] });
    process.stdout.write(`${result.summary}\n`);
    if (quick) continue;
    // Written after each part, so that a long run that stops keeps what it measured.
    const doc = existsSync(docPath)
      ? readFileSync(docPath, 'utf8')
      : '# Benchmarks\n\nNumbers written by `yarn bench`; do not edit between the markers by hand.\n';
    writeFileSync(
      docPath,
      formatMarkdown(
        docPath,
        replaceSection(
          doc,
          name,
          `## ${part.title}\n\n${machine}\n\n${result.markdown}`,
        ),
      ),
    );
    process.stdout.write(`${name}: written to ${docPath}\n`);
  }
  if (quick)
    process.stdout.write('--quick: docs/benchmarks.md left as it is\n');
}
