/*
 * `yarn bench`: runs the benchmarks and writes their results into
 * docs/benchmarks.md, between markers, so each section keeps its place.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
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
  main(args).catch(e => {
    process.stderr.write(
      `bench: ${e instanceof Error ? e.stack : String(e)}\n`,
    );
    process.exitCode = 1;
  });
}

async function main(args: string[]): Promise<void> {
  if (args[0] === 'engine-run') {
    process.stdout.write(
      `${JSON.stringify(
        measureEngine(Number(args[1]), Number(args[2] ?? 5)),
      )}\n`,
    );
    return;
  }
  const quick = args.includes('--quick');
  if (args[0] === 'cli') {
    // `yarn bench cli [--quick]`: the CLI part alone, printed, docs/benchmarks.md left as it is.
    const { cliMarkdown, cliSummary, runCliBenchmark } =
      require('./cli') as typeof import('./cli');
    const result = runCliBenchmark(repositoryRoot(), {
      pods: quick ? 10000 : 50000,
      runs: quick ? 3 : 7,
    });
    process.stdout.write(`${cliSummary(result)}\n\n${cliMarkdown(result)}\n`);
    return;
  }
  if (args[0] === 'exposure') {
    // `yarn bench exposure [--quick]`: the ownership review alone, printed, docs/benchmarks.md left as it is.
    const { exposureMarkdown, exposureSummary, runExposureBenchmark } =
      require('./exposure') as typeof import('./exposure');
    const result = await runExposureBenchmark(repositoryRoot(), {
      entities: quick ? 1000 : 5000,
      scanEntities: quick ? 100 : 500,
      runs: quick ? 10 : 50,
    });
    process.stdout.write(
      `${exposureSummary(result)}\n\n${exposureMarkdown(result)}\n`,
    );
    // A kept-alive client socket of a stopped backend would hold the process open.
    process.exit(0);
  }
  if (args[0] === 'watch' || args[0] === 'watch-run') {
    // `yarn bench watch [--quick]`: the live cluster model alone, printed, docs/benchmarks.md left as it is.
    const { watchCommand } = require('./watch') as typeof import('./watch');
    await watchCommand(args, process.argv[1]);
    return;
  }
  const sizes = quick ? [1000, 10000] : [1000, 10000, 50000];
  // argv[1] is this very bin script: the children run it again, one per size.
  // Many runs: this kind of VM is noisy, and a median of few moves by tens of milliseconds.
  const results = runEngineBenchmarks(process.argv[1], sizes, quick ? 3 : 15);
  for (const r of results) {
    process.stdout.write(
      `engine ${r.size.pods} pods: load ${r.loadMs.toFixed(
        1,
      )} ms, resolve ${r.resolveMs.toFixed(
        1,
      )} ms, peak RSS ${r.peakRssMb.toFixed(0)} MB\n`,
    );
  }
  const machine = `Measured on ${new Date().toISOString().slice(0, 10)}: ${
    cpus()[0]?.model ?? 'unknown CPU'
  }, ${cpus().length} cores, Node.js ${
    process.version
  }. Reproduce with \`yarn bench\`.`;
  const root = repositoryRoot();
  // Loaded here, not at the top: the engine's child processes must not carry a whole backend.
  const { backendMarkdown, runBackendBenchmark } =
    require('./backend') as typeof import('./backend');
  const backend = await runBackendBenchmark(root, {
    latencyMs: 50,
    cold: quick ? 10 : 40,
    warm: quick ? 50 : 300,
  });
  process.stdout.write(
    `backend: Kubernetes backend p50 ${backend.kubernetesBackend.p50.toFixed(
      1,
    )} ms, routes cold p50 ${backend.trafficPathCold.p50.toFixed(
      1,
    )} ms, warm p95 ${backend.trafficPathWarm.p95.toFixed(1)} ms, ${
      backend.trafficPathCallsCold
    } calls cold\n`,
  );
  const { browserMarkdown, runBrowserBenchmark } =
    require('./browser') as typeof import('./browser');
  const browserResult = await runBrowserBenchmark(root, {
    pods: 500,
    runs: quick ? 5 : 20,
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  });
  process.stdout.write(
    `browser: 500 pods rendered in p50 ${browserResult.renderMs.p50.toFixed(
      1,
    )} ms (first ${browserResult.renderMs.first.toFixed(1)} ms); plugin adds ${(
      browserResult.bundleGzipBytes / 1024
    ).toFixed(1)} kB gzipped\n`,
  );
  const docPath = join(root, 'docs/benchmarks.md');
  const doc = existsSync(docPath)
    ? readFileSync(docPath, 'utf8')
    : '# Benchmarks\n\nNumbers written by `yarn bench`; do not edit between the markers by hand.\n';
  const body = `## Engine: load and resolve\n\n${machine}\n\n${engineMarkdown(
    results,
    existsSync('/usr/bin/taskset'),
  )}`;
  const backendBody = `## Backend: the routes endpoint against the Kubernetes backend\n\n${machine}\n\n${backendMarkdown(
    backend,
  )}`;
  const { cliMarkdown, cliSummary, runCliBenchmark } =
    require('./cli') as typeof import('./cli');
  const cliResult = runCliBenchmark(root, {
    pods: quick ? 10000 : 50000,
    runs: quick ? 3 : 7,
  });
  process.stdout.write(`${cliSummary(cliResult)}\n`);
  if (quick) {
    process.stdout.write('--quick: docs/benchmarks.md left as it is\n');
    return;
  }
  const browserBody = `## Card: render time and bundle size\n\n${machine}\n\n${browserMarkdown(
    browserResult,
  )}`;
  writeFileSync(
    docPath,
    replaceSection(
      replaceSection(
        replaceSection(
          replaceSection(doc, 'engine', body),
          'backend',
          backendBody,
        ),
        'browser',
        browserBody,
      ),
      'cli',
      `## Command line: check and diff end to end\n\n${machine}\n\n${cliMarkdown(
        cliResult,
      )}`,
    ),
  );
  process.stdout.write(`written to ${docPath}\n`);
}
