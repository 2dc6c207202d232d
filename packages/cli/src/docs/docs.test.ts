/*
 * `traffic-path docs` on the seed scenarios: the pages are compared line by
 * line with the golden files under test/cli/docs-golden, and the facts that
 * matter are asserted on their own (so that a golden file regenerated in a
 * hurry cannot hide a wrong claim).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../index';

// Each case traces whole scenarios; the full suite runs them all at once on two cores.
jest.setTimeout(60_000);

const root = resolve(__dirname, '../../../..');
const golden = join(root, 'test/cli/docs-golden');

async function docs(name: string, argv: string[], cwd = root) {
  const out = join(mkdtempSync(join(tmpdir(), 'tp-docs-')), name);
  let err = '';
  const code = await main(['docs', ...argv, '--out', out], {
    out: () => {},
    err: t => (err += t),
    cwd,
  });
  const files = Object.fromEntries(
    readdirSync(out)
      .sort()
      .map(f => [f, readFileSync(join(out, f), 'utf8')]),
  );
  return { code, err, out, files };
}

function compareWithGolden(name: string, files: Record<string, string>) {
  const dir = join(golden, name);
  if (process.env.TRAFFIC_PATH_UPDATE_GOLDEN) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files))
      writeFileSync(join(dir, `${f}.golden`), text);
  }
  // `.golden`: kept byte for byte, out of prettier's reach.
  expect(Object.keys(files).map(f => `${f}.golden`)).toEqual(
    readdirSync(dir).sort(),
  );
  for (const [f, text] of Object.entries(files)) {
    const want = readFileSync(join(dir, `${f}.golden`), 'utf8').split('\n');
    const got = text.split('\n');
    got.forEach((line, i) =>
      expect({ file: f, line: i + 1, text: line }).toEqual({
        file: f,
        line: i + 1,
        text: want[i],
      }),
    );
    expect({ file: f, lines: got.length }).toEqual({
      file: f,
      lines: want.length,
    });
  }
}

describe('traffic-path docs', () => {
  it('writes a page per catalog entity of seed 004 and an index, equal to the golden files', async () => {
    const { code, err, files } = await docs('seed-004', [
      'test/scenarios/seed-004/cluster',
      '--catalog',
      'test/cli/catalog-seed-004.yaml',
    ]);
    expect(code).toBe(0);
    expect(err).toContain('wrote 3 page(s) and index.md');
    compareWithGolden('seed-004', files);

    const app1 = files['component-default-app1.md'].split('\n');
    const app3 = files['component-default-app3.md'].split('\n');
    // The entry points and their exposure.
    expect(app1).toContain(
      '| `app1.qas.abc.com/` Ingress app/app1-service-ingress | public | 47.100.21.10 (alibaba-cloud lb-uf6public01) | none: open to the internet | yes | healthy | 1 info |',
    );
    expect(app3).toContain(
      '| `app3.qas.abc.com/` Ingress app/app3-service-ingress | internal | 10.17.0.200 (alibaba-cloud lb-uf6private01) | cloud-acl: Alibaba Cloud ACL acl-2ze0app3 (whitelist) | yes | healthy | 1 info |',
    );
    // The entity found by its label selector, and its Service.
    expect(app3).toContain(
      'Kubernetes objects: `app=app3` in namespace `app`; Services: `app/app3-service`.',
    );
    // A Mermaid diagram GitHub renders, with the Service aside (not on the way).
    const mermaid = app1.indexOf('```mermaid');
    expect(app1[mermaid + 1]).toBe('flowchart LR');
    expect(app1.join('\n')).toContain('r0svc -. endpoints .- r0h7');
    // The hop table: kube-proxy DNATs straight to the controller pod, which proxies to pod IPs.
    expect(
      app1.some(l =>
        /^\| 4 \| .* ClusterIP 192\.168\.195\.85:8080 not used \|$/.test(l),
      ),
    ).toBe(true);
    // The findings.
    expect(app1).toContain('## Findings');
    expect(
      app1.some(l =>
        l.startsWith(
          '| info | `PUBLIC_WITHOUT_SOURCE_RESTRICTION` | Service kube-system/nginx-ingress-lb |',
        ),
      ),
    ).toBe(true);
    // The index.
    expect(files['index.md'].split('\n')).toEqual(
      expect.arrayContaining([
        '| [app1](component-default-app1.md) | 1 | 1 | 1 | 0 | 0 |',
        '| [app3](component-default-app3.md) | 1 | 0 | 0 | 0 | 0 |',
      ]),
    );
    // Deterministic: nothing that changes from run to run.
    for (const text of Object.values(files)) {
      expect(text).not.toMatch(/\d{4}-\d\d-\d\dT|undefined|tmp/);
    }
    // Stable: pods by their workload, nodes as "a node"; the load balancer and ClusterIP stay.
    expect(app1).toContain(
      '| 4 | `<pod IP of Deployment kube-system/nginx-ingress-controller>:443` | `<pod IP of Deployment app/app1>:8080` | ingress-nginx matches host and path, proxies straight to a backend pod IP (1 of 2 pods); ClusterIP 192.168.195.85:8080 not used |',
    );
    expect(app1).toContain(
      '| 5 | `<pod IP of Deployment app/app1>:8080` | `app1:8080` | container app1 of pod `<pod of Deployment app/app1>` receives the request on port 8080 |',
    );
    for (const text of Object.values(files)) {
      // Pod names (`<deployment>-<hash>-<suffix>`), pod and node addresses of seed 004.
      expect(text).not.toMatch(/-[a-z0-9]{9}-[a-z0-9]{5}\b|\b10\.17\.10\./);
    }
  });

  it('writes a page per Service when no catalog is given (seed 003)', async () => {
    const { code, files } = await docs('seed-003', [
      'test/scenarios/seed-003/cluster',
    ]);
    expect(code).toBe(0);
    compareWithGolden('seed-003', files);
    const web = files['service-default-web.md'].split('\n');
    expect(web[2]).toBe('# Service default/web');
    // The self-managed load balancer of seed 003 in front of NodePort 30001.
    expect(web.some(l => l.includes('| internal | 192.168.1.1 ('))).toBe(true);
    expect(web.some(l => l.includes('NodePort 30001'))).toBe(true);
  });

  it('gives the same bytes twice, and removes the pages of entities that are gone', async () => {
    const first = await docs('again', [
      'test/scenarios/seed-004/cluster',
      '--catalog',
      'test/cli/catalog-seed-004.yaml',
    ]);
    const second = await docs('again', [
      'test/scenarios/seed-004/cluster',
      '--catalog',
      'test/cli/catalog-seed-004.yaml',
    ]);
    expect(second.files).toEqual(first.files);
    // Into an existing directory: a stale generated page goes, a hand-written file stays.
    writeFileSync(
      join(first.out, 'component-default-gone.md'),
      first.files['component-default-app1.md'],
    );
    writeFileSync(join(first.out, 'notes.md'), '# Our notes\n');
    await main(
      [
        'docs',
        'test/scenarios/seed-004/cluster',
        '--catalog',
        'test/cli/catalog-seed-004.yaml',
        '--out',
        first.out,
      ],
      { out: () => {}, err: () => {}, cwd: root },
    );
    expect(existsSync(join(first.out, 'component-default-gone.md'))).toBe(
      false,
    );
    expect(existsSync(join(first.out, 'notes.md'))).toBe(true);
  });

  describe('after a rollout (test/scenarios/docs-rollout)', () => {
    const scenario = join(root, 'test/scenarios/docs-rollout');
    // The same relative paths from each directory: the footer that names them is the same too.
    const catalog = '../../../cli/catalog-seed-004.yaml';
    const run = (dir: string, inputs: string[]) =>
      docs(dir, [...inputs, '--catalog', catalog], join(scenario, dir));

    it('writes the same bytes when only pods, their names, addresses and nodes changed', async () => {
      const before = await run('before', ['.']);
      const after = await run('after', ['.']);
      expect(before.code).toBe(0);
      expect(after.err).toContain('wrote 3 page(s) and index.md');
      expect(Object.keys(after.files)).toEqual([
        'component-default-app1.md',
        'component-default-app2.md',
        'component-default-app3.md',
        'index.md',
      ]);
      for (const [file, text] of Object.entries(before.files))
        expect({ file, text: after.files[file] }).toEqual({ file, text });
      // And the same as seed 004's golden pages (dumped without that metadata), but for the footer.
      const footer = (t: string) => t.replace(/\nGenerated by .*\n$/, '\n');
      for (const [file, text] of Object.entries(after.files))
        expect({ file, text: footer(text) }).toEqual({
          file,
          text: footer(
            readFileSync(join(golden, 'seed-004', `${file}.golden`), 'utf8'),
          ),
        });
    });

    // The lines of each page that differ from the pages after the rollout.
    async function changedLines(dir: string) {
      const after = await run('after', ['.']);
      const changed = await run(dir, [
        'app.yaml',
        '../after/ingress-nginx.yaml',
        '../after/kube-system.yaml',
      ]);
      expect(changed.code).toBe(0);
      const lines: Record<string, { was?: string; is?: string }[]> = {};
      for (const [file, text] of Object.entries(changed.files)) {
        const was = after.files[file].split('\n');
        const is = text.split('\n');
        const diff = is
          .map((line, i) => ({ was: was[i], is: line }))
          .filter(d => d.was !== d.is && !d.is.startsWith('Generated by '));
        if (diff.length || was.length !== is.length) lines[file] = diff;
      }
      return lines;
    }

    it('changes only the page of the entity whose Ingress host changed, and only where the host is', async () => {
      const lines = await changedLines('host-changed');
      expect(Object.keys(lines)).toEqual(['component-default-app2.md']);
      const diff = lines['component-default-app2.md'];
      expect(diff.length).toBeGreaterThan(3);
      for (const d of diff) {
        expect(d.was).toContain('app2.qas.abc.com');
        expect(d.is).toBe(
          d.was!.split('app2.qas.abc.com').join('app2.shop.abc.com'),
        );
      }
    });

    it('changes only the page of the entity whose Service port changed, and only where the port is', async () => {
      const lines = await changedLines('port-changed');
      expect(Object.keys(lines)).toEqual(['component-default-app3.md']);
      const diff = lines['component-default-app3.md'];
      expect(diff.map(d => d.is)).toEqual([
        expect.stringContaining(
          'Service app/app3-service (ClusterIP, 192.168.207.44, port 9090)',
        ),
        expect.stringContaining('ClusterIP 192.168.207.44:9090 not used'),
      ]);
    });
  });

  it('says clearly what is wrong with its arguments and catalog', async () => {
    const run = async (argv: string[]) => {
      let err = '';
      const code = await main(argv, {
        out: () => {},
        err: t => (err += t),
        cwd: root,
      });
      return { code, err };
    };
    expect(
      await run(['docs', 'test/scenarios/seed-004/cluster']),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining('docs: --out DIR is needed'),
    });
    expect(
      await run([
        'docs',
        'test/scenarios/seed-004/cluster',
        '--catalog',
        'nope.yaml',
        '--out',
        join(tmpdir(), 'tp-x'),
      ]),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining('--catalog nope.yaml: no such file'),
    });
    const dir = mkdtempSync(join(tmpdir(), 'tp-cat-'));
    writeFileSync(
      join(dir, 'catalog.yaml'),
      [
        'kind: Component\nmetadata:\n  name: broken\n  annotations:\n    backstage.io/kubernetes-label-selector: "app in ("\n',
        'kind: Component\nmetadata: { name: [oops\n',
        readFileSync(join(root, 'test/cli/catalog-seed-004.yaml'), 'utf8'),
      ].join('---\n'),
    );
    const bad = await run([
      'docs',
      'test/scenarios/seed-004/cluster',
      '--catalog',
      join(dir, 'catalog.yaml'),
      '--out',
      join(dir, 'out'),
    ]);
    // The broken entity and document are named; the other entities still get their pages.
    expect(bad.code).toBe(0);
    expect(bad.err).toContain(
      'catalog.yaml: Component broken: annotation backstage.io/kubernetes-label-selector:',
    );
    expect(bad.err).toContain(
      'catalog.yaml (document 2): invalid YAML, skipped:',
    );
    expect(bad.err).toContain('wrote 3 page(s) and index.md');
    expect(existsSync(join(dir, 'out', 'component-default-app3.md'))).toBe(
      true,
    );
  });
});
