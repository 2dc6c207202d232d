/*
 * Scenario files followed on disk: saves in place and by rename, files
 * added and removed, a half-written file, bursts of writes, polling, and
 * the `demo-cluster serve` command reporting what changed.
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { reloadOnChange, ScenarioFiles } from './files';
import { ChangeSummary, DemoCluster, startDemoCluster } from './server';

const root = resolve(__dirname, '../../..');
let dir: string;
let cluster: DemoCluster;
const stops: (() => void)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'demo-cluster-files-'));
  cpSync(join(root, 'test/scenarios/seed-004/cluster'), dir, {
    recursive: true,
  });
});
afterEach(async () => {
  stops.splice(0).forEach(s => s());
  await cluster?.close();
});

/** Starts a demo cluster over `inputs` that reloads them; resolves reloads one by one. */
async function serve(
  inputs: string[],
  options: { debounceMs?: number; pollMs?: number } = {},
) {
  const files = new ScenarioFiles(inputs);
  cluster = await startDemoCluster({
    objects: files.read().objects,
    insecureHttp: true,
  });
  const reloads: { changes: ChangeSummary[]; warnings: string[] }[] = [];
  const waiting: (() => void)[] = [];
  const reloader = reloadOnChange(cluster, files, {
    debounceMs: options.debounceMs ?? 50,
    pollMs: options.pollMs,
    onReload: (changes, warnings) => {
      reloads.push({ changes, warnings });
      waiting.splice(0).forEach(w => w());
    },
  });
  stops.push(reloader.stop);
  const nextReload = (ms = 5000) =>
    new Promise<(typeof reloads)[number]>((ok, fail) => {
      const seen = reloads.length;
      const timer = setTimeout(
        () => fail(new Error(`no reload within ${ms} ms`)),
        ms,
      );
      const check = () => {
        if (reloads.length > seen) {
          clearTimeout(timer);
          ok(reloads[seen]);
        } else waiting.push(check);
      };
      check();
    });
  return { reloads, nextReload };
}

const described = (changes: ChangeSummary[]) =>
  changes.map(
    c => `${c.type} ${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`,
  );

const app = () => join(dir, 'app.yaml');
const ingressClass = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
spec:
  controller: traefik.io/ingress-controller
`;

describe('reloading scenario files', () => {
  it('turns an edit in place into MODIFIED with a new resourceVersion', async () => {
    const { nextReload } = await serve([dir]);
    const before = cluster.resourceVersion();
    writeFileSync(
      app(),
      readFileSync(app(), 'utf8').replace(
        'podIP: 10.17.10.161',
        'podIP: 10.17.10.171',
      ),
    );
    const { changes } = await nextReload();
    expect(described(changes)).toEqual([
      'MODIFIED Pod app/app3-6c7d8e9f0-r5t7y',
    ]);
    expect(Number(changes[0].resourceVersion)).toBe(Number(before) + 1);
  });

  it('adds and deletes the objects of files that come and go', async () => {
    const { nextReload } = await serve([dir]);
    writeFileSync(join(dir, 'traefik.yaml'), ingressClass);
    expect(described((await nextReload()).changes)).toEqual([
      'ADDED IngressClass traefik',
    ]);
    rmSync(join(dir, 'kube-system.yaml'));
    const { changes } = await nextReload();
    expect(changes.every(c => c.type === 'DELETED')).toBe(true);
    expect(described(changes)).toEqual(
      expect.arrayContaining(['DELETED Node cn-shanghai.10.17.10.11']),
    );
  });

  it('keeps what a file held while it does not parse, then takes the fixed version', async () => {
    const { nextReload } = await serve([dir]);
    const text = readFileSync(app(), 'utf8');
    writeFileSync(app(), `${text.slice(0, 400)}\n  - {broken: [`);
    const broken = await nextReload();
    expect(broken.changes).toEqual([]);
    expect(broken.warnings.join('\n')).toMatch(
      /app\.yaml: .*\(still serving what it held before\)/,
    );
    writeFileSync(app(), text.replace('app1.qas.abc.com', 'app9.qas.abc.com'));
    expect(described((await nextReload()).changes)).toEqual([
      'MODIFIED Ingress app/app1-service-ingress',
    ]);
  });

  it('reads a burst of writes once, after it is quiet', async () => {
    const { reloads, nextReload } = await serve([dir], { debounceMs: 500 });
    const text = readFileSync(app(), 'utf8');
    for (let i = 0; i < 5; i++) {
      writeFileSync(
        app(),
        text.replace('podIP: 10.17.10.161', `podIP: 10.17.10.${i}`),
      );
      await new Promise(r => setTimeout(r, 10));
    }
    const { changes } = await nextReload();
    await new Promise(r => setTimeout(r, 600));
    expect(reloads).toHaveLength(1);
    expect(changes).toHaveLength(1);
  });

  it('follows a file named on its own when an editor renames a new copy over it', async () => {
    const { nextReload } = await serve([app()]);
    // Editors' side files next to it are no manifests.
    writeFileSync(join(dir, '.app.yaml.swp'), 'b0VIM 9.0');
    const edited = readFileSync(app(), 'utf8').replace(
      'podIP: 10.17.10.92',
      'podIP: 10.17.10.93',
    );
    writeFileSync(join(dir, '.app.yaml.new'), edited);
    renameSync(join(dir, '.app.yaml.new'), app());
    expect(described((await nextReload()).changes)).toEqual([
      'MODIFIED Pod app/app2-5b6f7c8d9-q3w5e',
    ]);
    // And again, on the new file.
    writeFileSync(
      app(),
      edited.replace('podIP: 10.17.10.93', 'podIP: 10.17.10.94'),
    );
    expect(described((await nextReload()).changes)).toEqual([
      'MODIFIED Pod app/app2-5b6f7c8d9-q3w5e',
    ]);
  });

  it('polls where asked to', async () => {
    const { nextReload } = await serve([dir], { pollMs: 50, debounceMs: 10 });
    writeFileSync(join(dir, 'traefik.yaml'), ingressClass);
    expect(described((await nextReload()).changes)).toEqual([
      'ADDED IngressClass traefik',
    ]);
  });
});

describe('demo-cluster serve', () => {
  it('says it follows the files and prints what changed', async () => {
    const child = spawn(
      process.execPath,
      [
        join(__dirname, '../bin/demo-cluster'),
        'serve',
        dir,
        '--insecure-http',
        'true',
        '--reload-debounce',
        '50',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    stops.push(() => child.kill());
    let out = '';
    const waitFor = (text: string) =>
      new Promise<void>((ok, fail) => {
        const timer = setTimeout(
          () => fail(new Error(`no "${text}" in: ${out}`)),
          20_000,
        );
        const check = () => {
          if (out.includes(text)) {
            clearTimeout(timer);
            ok();
          }
        };
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          check();
        });
        check();
      });
    await waitFor('following changes to the files');
    expect(out).toMatch(
      /^demo-cluster: serving 26 objects at http:\/\/127\.0\.0\.1:\d+, following changes to the files$/m,
    );
    writeFileSync(join(dir, 'traefik.yaml'), ingressClass);
    await waitFor('files changed');
    expect(out).toMatch(
      /demo-cluster: files changed, resourceVersion \d+: ADDED IngressClass traefik\n/,
    );
  }, 30_000);

  it('refuses a fault with a misspelt key, naming it', async () => {
    const faults = join(dir, 'faults.json');
    writeFileSync(
      faults,
      JSON.stringify([{ path: '/pods$', dropAfterEvent: 2 }]),
    );
    const child = spawn(
      process.execPath,
      [
        join(__dirname, '../bin/demo-cluster'),
        'serve',
        dir,
        '--faults',
        faults,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise(r => child.on('exit', r));
    expect(code).toBe(2);
    expect(err).toContain('fault 1: unknown key "dropAfterEvent"');
  }, 30_000);

  it('refuses an unknown --reload value', async () => {
    const child = spawn(
      process.execPath,
      [
        join(__dirname, '../bin/demo-cluster'),
        'serve',
        dir,
        '--reload',
        'maybe',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise(r => child.on('exit', r));
    expect(code).toBe(2);
    expect(err).toContain('--reload takes true or false, not "maybe"');
  }, 30_000);
});
