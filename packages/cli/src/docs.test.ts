/*
 * The docs users read stay true to the code: every finding code is
 * documented, and every `yarn traffic-path …` line of the README and of
 * docs/cli.md runs and exits with the code the line states.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findingCodes } from '@internal/plugin-traffic-path-common';
import { main } from './index';

// Each command traces whole scenarios; the full suite runs them all at once on two cores.
jest.setTimeout(60_000);

const root = resolve(__dirname, '../../..');

/**
 * The reader's own files in the examples, and the files of this repository
 * that stand in for them.
 */
const stand = {
  /** The dump the `kubectl get … -o json > cluster.json` line before it makes. */
  'cluster.json': 'test/scenarios/seed-004/cluster',
  /** Manifests of a main branch and of a pull request: seed 004 and a change that widens exposure. */
  'main-manifests/': 'test/scenarios/seed-004/cluster',
  'branch-manifests/': 'test/scenarios/diff-exposure/cluster',
  /** The platform's controllers, load balancer and nodes. */
  'platform/': 'test/scenarios/_shared',
  /** Where the charts of `helm template`'s `# Source:` comments are. */
  charts: 'test/scenarios/gate-helm/charts',
} as Record<string, string>;

/**
 * What `helm template … CHART` prints: the shop chart's output
 * (test/scenarios/gate-helm), and for a chart of the reader's own the
 * checkout chart with TLS and an allowlist, whose allowlist sees node
 * addresses (a warning, see test/scenarios/gate-checkout/README.md).
 */
const charts = {
  './charts/shop': 'test/scenarios/gate-helm/rendered.yaml',
} as Record<string, string>;
const ownChart = 'test/scenarios/gate-checkout-fixed/cluster/checkout.yaml';

function sarifVersion(text: string): string {
  try {
    return JSON.parse(text).version;
  } catch {
    return 'not JSON';
  }
}

/** The lines to run, with the exit code each states (`# exit N`; none: 0). */
function exampleLines(): { line: string; file: string; code: number }[] {
  return ['README.md', 'docs/cli.md'].flatMap(file =>
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .map(line => line.trim())
      .filter(line => /(^|\| )yarn traffic-path /.test(line))
      // Live-mode examples need a cluster: packages/demo-cluster/src/cliLive.test.ts covers them.
      .filter(line => !line.includes('--kubeconfig'))
      .map(line => ({
        line,
        file,
        code: Number(line.match(/\s#.*\bexit (\d)/)?.[1] ?? 0),
      })),
  );
}

async function run(line: string, out: string) {
  const command = line.replace(/\s+#.*$/, '');
  const pipe = command.match(/^helm template (?:\S+ )*?(\S+) \| (.*)$/);
  const [yarnPart, redirect] = (pipe ? pipe[2] : command).split(/\s+>\s+/);
  const args = yarnPart
    .replace(/^yarn traffic-path /, '')
    .split(/\s+/)
    .map((a, i, all) => {
      if (all[i - 1] === '--out') return join(out, a);
      return stand[a] ?? a;
    });
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: t => (stdout += t),
    err: t => (stderr += t),
    cwd: root,
    ...(pipe
      ? {
          stdin: async () =>
            readFileSync(join(root, charts[pipe[1]] ?? ownChart), 'utf8'),
        }
      : {}),
  });
  return { args, code, stdout, stderr, redirect, piped: pipe !== null };
}

describe('docs', () => {
  it('documents every finding code in docs/findings.md', () => {
    const doc = readFileSync(join(root, 'docs/findings.md'), 'utf8');
    for (const code of Object.keys(findingCodes)) {
      expect({ code, documented: doc.includes(`## ${code}\n`) }).toEqual({
        code,
        documented: true,
      });
    }
  });

  it('runs every traffic-path line of the README and docs/cli.md, with the exit code it states', async () => {
    const lines = exampleLines();
    const readme = lines.filter(l => l.file === 'README.md');
    // trace, check, diff and docs are all shown in the README.
    for (const command of ['trace', 'check', 'diff', 'docs'])
      expect({
        command,
        inReadme: readme.some(l => l.line.includes(`traffic-path ${command} `)),
      }).toEqual({ command, inReadme: true });
    const out = mkdtempSync(join(tmpdir(), 'tp-readme-'));
    const got = [];
    for (const { line, file } of lines) {
      const r = await run(line, out);
      got.push({
        file,
        line,
        code: r.code,
        // A pipe from anything but `helm template` would not run here.
        piped: !line.includes('|') || r.piped,
        // Findings go to stdout; stderr holds only warnings and the docs summary.
        stderr: r.stderr,
        // What `> file.sarif` would write is SARIF.
        output: r.redirect?.endsWith('.sarif')
          ? sarifVersion(r.stdout)
          : 'not redirected',
      });
    }
    expect(got).toEqual(
      lines.map(({ file, line, code }) => ({
        file,
        line,
        code,
        piped: true,
        stderr: expect.not.stringMatching(/usage|error:/i),
        output: /> \S+\.sarif/.test(line) ? '2.1.0' : 'not redirected',
      })),
    );
  });
});
