/*
 * The CI commands end to end: `traffic-path check` (each report format, and
 * with an exposure policy) and `traffic-path diff` on the 50k-pod synthetic
 * cluster, each run a fresh process started the way
 * CI starts it (`node packages/cli/bin/traffic-path …`), so that the time
 * includes Node.js's start, loading the CLI, reading and parsing the dump,
 * resolving it and writing the report. Target: under 2 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { syntheticCluster } from './syntheticCluster';

export type CliCommandResult = {
  name: string;
  command: string;
  exitCode: number;
  wallMs: number[];
  /** CPU time (user + system) of the child, as it reported at exit. */
  cpuMs: number[];
  peakRssMb: number;
};

export type CliResult = {
  pods: number;
  dumpMb: number;
  runs: number;
  commands: CliCommandResult[];
};

export const cliTargetMs = 2000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * The "after" state of the diff: the synthetic cluster with a change a pull
 * request might make: one Ingress per hundred loses TLS, and the controller's
 * load balancer gains source ranges.
 */
function changedCluster(text: string): string {
  const list = JSON.parse(text) as {
    items: {
      kind: string;
      metadata: { name: string };
      spec?: Record<string, unknown>;
    }[];
  };
  let ingress = 0;
  for (const item of list.items) {
    if (item.kind === 'Ingress' && ingress++ % 100 === 0 && item.spec)
      delete item.spec.tls;
    if (item.kind === 'Service' && item.spec?.type === 'LoadBalancer')
      item.spec.loadBalancerSourceRanges = ['203.0.113.0/24'];
  }
  return JSON.stringify(list);
}

/**
 * A repository's exposure policy with every rule on, as docs/ci.md shows it:
 * each entry point of the cluster is judged by four rules.
 */
const policy = `rules:
  publicNeedsSourceRestriction:
    exceptHosts: [www.example.com]
  publicNeedsTls:
    severity: warning
  loadBalancerExposure:
    default: [internal]
    namespaces:
      team-0: [public, internal]
  noSnatBeforeAllowlist:
    severity: warning
`;

/** Preloaded into the child: reports its CPU time and peak RSS when it exits. */
const reporter = `
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const cpu = process.cpuUsage();
  writeFileSync(process.env.TP_BENCH_USAGE, JSON.stringify({
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
  }));
});
`;

function measure(
  root: string,
  dir: string,
  name: string,
  args: string[],
  runs: number,
): CliCommandResult {
  const preload = join(dir, 'usage.js');
  writeFileSync(preload, reporter);
  const usageFile = join(dir, 'usage.json');
  const bin = join(root, 'packages/cli/bin/traffic-path');
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  let peakRssKb = 0;
  let exitCode = -1;
  // One warm-up run fills the file cache and swc's transform cache, as a CI runner's second job would.
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const result = spawnSync(
      process.execPath,
      ['--require', preload, bin, ...args],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        // check --format github appends its verdict to the job summary, as in GitHub Actions.
        env: {
          ...process.env,
          TP_BENCH_USAGE: usageFile,
          GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
        },
      },
    );
    const elapsed = performance.now() - start;
    exitCode = result.status ?? -1;
    if (exitCode !== 0 && exitCode !== 3)
      throw new Error(
        `traffic-path ${args.join(' ')} failed (${exitCode}): ${result.stderr}`,
      );
    if (i === 0) continue;
    const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
    wallMs.push(elapsed);
    cpuMs.push(usage.cpuMs);
    peakRssKb = Math.max(peakRssKb, usage.maxRssKb);
  }
  return {
    name,
    command: `traffic-path ${args.join(' ')}`,
    exitCode,
    wallMs,
    cpuMs,
    peakRssMb: peakRssKb / 1024,
  };
}

export function runCliBenchmark(
  root: string,
  options: { pods: number; runs: number },
): CliResult {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-cli-'));
  try {
    const { text } = syntheticCluster(options.pods);
    writeFileSync(join(dir, 'cluster.json'), text);
    writeFileSync(join(dir, 'cluster-after.json'), changedCluster(text));
    // Not .traffic-path.yaml: the other check rows run without a policy.
    writeFileSync(join(dir, 'policy.yaml'), policy);
    const commands = [
      measure(
        root,
        dir,
        'check (table)',
        ['check', 'cluster.json'],
        options.runs,
      ),
      measure(
        root,
        dir,
        'check (SARIF)',
        ['check', 'cluster.json', '--format', 'sarif'],
        options.runs,
      ),
      measure(
        root,
        dir,
        'check (JUnit)',
        ['check', 'cluster.json', '--format', 'junit'],
        options.runs,
      ),
      measure(
        root,
        dir,
        'check (GitHub)',
        ['check', 'cluster.json', '--format', 'github'],
        options.runs,
      ),
      measure(
        root,
        dir,
        'check with a policy (table)',
        ['check', 'cluster.json', '--policy', 'policy.yaml'],
        options.runs,
      ),
      measure(
        root,
        dir,
        'diff (Markdown)',
        [
          'diff',
          '--format',
          'markdown',
          'cluster.json',
          '--',
          'cluster-after.json',
        ],
        options.runs,
      ),
    ];
    return {
      pods: options.pods,
      dumpMb: text.length / 2 ** 20,
      runs: options.runs,
      commands,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function cliSummary(result: CliResult): string {
  return result.commands
    .map(
      c =>
        `cli ${result.pods} pods: ${c.name} median ${median(c.wallMs).toFixed(
          0,
        )} ms wall, ${median(c.cpuMs).toFixed(0)} ms CPU (exit ${c.exitCode})`,
    )
    .join('\n');
}

export function cliMarkdown(result: CliResult): string {
  const rows = result.commands.map(
    c =>
      `| ${c.name} | \`${c.command}\` | ${c.exitCode} | **${median(
        c.wallMs,
      ).toFixed(0)}** | ${Math.min(...c.wallMs).toFixed(0)}–${Math.max(
        ...c.wallMs,
      ).toFixed(0)} | ${median(c.cpuMs).toFixed(0)} | ${c.peakRssMb.toFixed(
        0,
      )} |`,
  );
  const slowest = Math.max(...result.commands.map(c => median(c.wallMs)));
  return [
    `${result.pods.toLocaleString(
      'en',
    )} pods (the engine's synthetic cluster, a ${result.dumpMb.toFixed(
      0,
    )} MB \`kubectl get -o json\` dump; the diff's other side has one Ingress in a hundred without TLS and source ranges on the load balancer). Median of ${
      result.runs
    } runs after one warm-up, each a new process: \`node packages/cli/bin/traffic-path …\`, so Node.js's start, the CLI's load (TypeScript sources through swc's transform), reading, parsing, resolving and writing are all in the time. CPU is the child's user + system time; on this shared VM the wall time also holds waiting for a core.`,
    '',
    '| command | as run | exit | wall ms | wall min–max ms | CPU ms | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Target: \`check\` and \`diff\` on 50k pods end to end in under ${cliTargetMs} ms — **${
      slowest < cliTargetMs ? 'met' : 'NOT met'
    }** (slowest median ${slowest.toFixed(0)} ms).`,
  ].join('\n');
}
