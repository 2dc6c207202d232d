/*
 * docs/ci.md's GitHub Actions workflow and GitLab CI job, as a pipeline
 * would run them: valid YAML of the expected shape, and every traffic-path
 * command in them run on test/scenarios/gate-helm (its rendered.yaml in
 * place of `helm template`), with the exit codes and report locations the
 * page promises.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { sarifValidator } from './check/__testUtils__/sarif';

// Each command is a process of its own (the CLI through swc): a few seconds on two busy cores.
jest.setTimeout(120_000);

const root = resolve(__dirname, '../../..');
const helm = join(root, 'test/scenarios/gate-helm');
const doc = readFileSync(join(root, 'docs/ci.md'), 'utf8');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The text of the first ```yaml block under a `## heading` of docs/ci.md. */
function yamlBlock(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  expect({ heading, found: start >= 0 }).toEqual({ heading, found: true });
  const rest = doc.slice(start + 1);
  const end = rest.indexOf('\n## ');
  const section = end < 0 ? rest : rest.slice(0, end);
  const block = /```yaml\n([\s\S]*?)\n```/.exec(section);
  expect({ heading, block: !!block }).toEqual({ heading, block: true });
  return block![1];
}

/** The shell lines of a `run:` or `script:` entry, `\`-continued lines joined. */
function shellLines(script: string): string[] {
  return script
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l !== '' && !l.startsWith('#'));
}

/** GitHub's `${{ … }}` expressions, as a pull request's run would have them. */
function expand(line: string): string {
  return line.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const known: Record<string, string> = {
      'github.server_url': 'https://github.com',
      'github.base_ref': 'main',
    };
    return known[expression] ?? '';
  });
}

type Ran = { command: string; code: number; stdout: string; stderr: string };

/**
 * Runs the lines in a copy of the fixture laid out as the documented
 * repository (charts/shop, platform/, .traffic-path.yaml): `helm template …
 * > F` becomes `cat rendered.yaml > F`, traffic-path commands run, the rest
 * (git, gh, curl) is the platform's and is skipped.
 */
function runLines(
  lines: string[],
  env: Record<string, string> = {},
): { work: string; ran: Ran[] } {
  const work = mkdtempSync(join(tmpdir(), 'tp-ci-docs-'));
  made.push(work);
  cpSync(join(helm, 'charts'), join(work, 'charts'), { recursive: true });
  copyFileSync(
    join(helm, '.traffic-path.yaml'),
    join(work, '.traffic-path.yaml'),
  );
  mkdirSync(join(work, 'platform'));
  copyFileSync(
    join(root, 'test/scenarios/_shared/ingress-nginx.yaml'),
    join(work, 'platform/ingress-nginx.yaml'),
  );
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TP: `node ${join(root, 'packages/cli/bin/traffic-path')}`,
    ...env,
  };
  for (const name of ['GITHUB_WORKSPACE', 'CI_PROJECT_DIR'])
    delete childEnv[name];
  if (!env.GITHUB_STEP_SUMMARY) delete childEnv.GITHUB_STEP_SUMMARY;
  const ran: Ran[] = [];
  for (const raw of lines) {
    const line = expand(raw).replace(/\byarn traffic-path\b/g, '$TP');
    let command: string | undefined;
    const helmPart = line.split('&&').find(p => p.includes('helm template'));
    if (helmPart) {
      const target = /> *(\S+)\s*$/.exec(helmPart.trim());
      expect({ helmPart, redirected: !!target }).toEqual({
        helmPart,
        redirected: true,
      });
      command = `cat ${join(helm, 'rendered.yaml')} > ${target![1]}`;
    } else if (line.includes('$TP ')) command = line;
    if (!command) continue;
    const result = spawnSync('bash', ['-c', command], {
      cwd: work,
      env: childEnv,
      encoding: 'utf8',
    });
    ran.push({
      command: raw,
      code: result.status ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
    });
  }
  return { work, ran };
}

/** What docs/ci.md says each kind of command exits with on a chart that breaks the policy. */
function documentedCode(command: string): number {
  if (/\$TP check /.test(command))
    // The gate fails (3), unless the step keeps itself green for its report.
    return command.includes('|| [ $? -eq 3 ]') ? 0 : 3;
  if (/\$TP diff /.test(command))
    return command.includes('--fail-on-risk') ? 3 : 0;
  throw new Error(`no documented exit code for: ${command}`);
}

describe('docs/ci.md', () => {
  it('says the exit codes the tests below assert', () => {
    expect(doc).toContain(
      '`|| [ $? -eq 3 ]` keeps the SARIF step green when the gate fails (exit 3)',
    );
    expect(doc).toContain('it exits 0 (with\n`--fail-on-risk`, 3');
    expect(doc).toContain('The check comes last: its exit 3 fails the job');
    // What the pipelines check out and run exists in this repository.
    expect(existsSync(join(root, '.yarn/releases/yarn-4.13.0.cjs'))).toBe(true);
    expect(existsSync(join(root, 'packages/cli/bin/traffic-path'))).toBe(true);
  });

  it('has a GitHub Actions workflow that is valid, gates with annotations at the templates and uploads SARIF', () => {
    const workflow = parse(yamlBlock('GitHub Actions'));
    expect(workflow.on.pull_request.paths).toEqual(
      expect.arrayContaining([
        'charts/**',
        'platform/**',
        '.traffic-path.yaml',
      ]),
    );
    const job = workflow.jobs.exposure;
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job.permissions['security-events']).toBe('write');
    const steps: Record<string, unknown>[] = job.steps;
    expect(Array.isArray(steps)).toBe(true);
    for (const step of steps)
      expect({ step, one: 'uses' in step !== 'run' in step }).toEqual({
        step,
        one: true,
      });
    // Steps after the gate run when it fails: their reports are what a reviewer reads.
    const gate = steps.findIndex(s =>
      String(s.run ?? '').includes('--format github'),
    );
    expect(gate).toBeGreaterThan(0);
    for (const step of steps.slice(gate + 1))
      expect({ step: step.name ?? step.uses, if: step.if }).toEqual({
        step: step.name ?? step.uses,
        if: 'always()',
      });
    const upload = steps.find(s =>
      String(s.uses).startsWith('github/codeql-action/upload-sarif'),
    );
    expect(upload?.with).toMatchObject({ sarif_file: 'traffic-path.sarif' });

    const lines = steps.flatMap(s =>
      typeof s.run === 'string' ? shellLines(s.run) : [],
    );
    const summaryDir = mkdtempSync(join(tmpdir(), 'tp-ci-summary-'));
    made.push(summaryDir);
    const summary = join(summaryDir, 'summary.md');
    const { work, ran } = runLines(lines, { GITHUB_STEP_SUMMARY: summary });
    const tp = ran.filter(r => r.command.includes('$TP '));
    expect(tp.map(r => r.command.split(' --')[0])).toEqual([
      '$TP check after.yaml',
      '$TP check after.yaml',
      '$TP diff',
    ]);
    for (const r of tp)
      expect({ command: r.command, code: r.code, stderr: r.stderr }).toEqual({
        command: r.command,
        code: documentedCode(r.command),
        stderr: expect.not.stringContaining('internal error'),
      });
    const annotations = tp[0].stdout
      .split('\n')
      .filter(l => l.startsWith('::'));
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations)
      expect(a).toMatch(
        /^::(error|warning|notice) file=charts\/shop\/templates\//,
      );
    expect(readFileSync(summary, 'utf8')).toContain(
      '### Traffic Path check: FAIL',
    );
    const sarif = JSON.parse(
      readFileSync(join(work, 'traffic-path.sarif'), 'utf8'),
    );
    const validate = sarifValidator();
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    const uris = sarif.runs[0].results.map(
      (r: {
        locations: {
          physicalLocation?: { artifactLocation: { uri: string } };
        }[];
      }) => r.locations[0].physicalLocation?.artifactLocation.uri,
    );
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(uri).toMatch(/^charts\/shop\/templates\//);
    expect(readFileSync(join(work, 'diff.md'), 'utf8')).not.toBe('');
  });

  it('has a GitLab CI job that is valid, writes the JUnit report at the templates and gates last', () => {
    const config = parse(yamlBlock('GitLab CI'));
    const job = config['traffic-path'];
    expect(job.stage).toBe('test');
    expect(job.artifacts).toMatchObject({
      when: 'always',
      reports: { junit: 'traffic-path.xml' },
    });
    const script: unknown[] = job.script;
    expect(script.every(s => typeof s === 'string')).toBe(true);
    // The gate comes last: its exit 3 fails the job after every report is written.
    expect(String(script[script.length - 1])).toContain('$TP check ');
    const { work, ran } = runLines((script as string[]).flatMap(shellLines));
    const tp = ran.filter(r => r.command.includes('$TP '));
    expect(tp.map(r => r.command.split(' --')[0])).toEqual([
      '$TP diff',
      '$TP check after.yaml',
    ]);
    for (const r of tp)
      expect({ command: r.command, code: r.code, stderr: r.stderr }).toEqual({
        command: r.command,
        code: documentedCode(r.command),
        stderr: expect.not.stringContaining('internal error'),
      });
    const junit = readFileSync(join(work, 'traffic-path.xml'), 'utf8');
    const files = [...junit.matchAll(/ file="([^"]*)"/g)].map(m => m[1]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(file).toMatch(/^charts\/shop\/templates\//);
    expect(junit).toMatch(/ line="\d+"/);
    expect(readFileSync(join(work, 'exposure-diff.md'), 'utf8')).not.toBe('');
  });
});
