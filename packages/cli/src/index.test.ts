/*
 * The command line as users call it: formats, filters, exit codes and
 * messages. The JSON output is validated against docs/report.schema.json.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import Ajv from 'ajv';
import { main } from './index';

const root = resolve(__dirname, '../../..');
const seed004 = 'test/scenarios/seed-004/cluster';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: t => (out += t),
    err: t => (err += t),
    cwd: root,
  });
  return { code, out, err };
}

describe('traffic-path trace', () => {
  it('prints a table for people by default', async () => {
    const { code, out, err } = await run(
      'trace',
      seed004,
      '--host',
      'app1.qas.abc.com',
    );
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('kube-proxy mode: ipvs');
    expect(out).toContain(
      '== app1.qas.abc.com/ (app/app1-service-ingress) [public, TLS] — HEALTHY',
    );
    expect(out).toMatch(
      /load-balancer\s+ok\s+public load balancer 47\.100\.21\.10 \(alibaba-cloud\)/,
    );
  });

  it('writes JSON that the documented schema accepts, for every scenario', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(
      require(join(root, 'docs/report.schema.json')),
    );
    for (const input of [
      seed004,
      'test/scenarios/seed-003/cluster',
      'test/realdata/popeye/net_ingress_1.yaml',
      'test/scenarios/nlb-ip-target/cluster',
      'test/scenarios/external-name-and-headless/cluster',
    ]) {
      const { code, out } = await run(
        'trace',
        input,
        'test/scenarios/_shared',
        '--client-ip',
        '203.0.113.7',
        '--format',
        'json',
      );
      expect(code).toBe(0);
      const report = JSON.parse(out);
      const valid = validate(report);
      expect({ input, errors: validate.errors ?? [] }).toEqual({
        input,
        errors: [],
      });
      expect(valid).toBe(true);
      expect(report.schemaVersion).toBe(1);
    }
  });

  it('filters by host and path as the controller would match them', async () => {
    const { out } = await run(
      'trace',
      seed004,
      '--host',
      'APP2.qas.abc.com',
      '--path',
      '/orders/42',
      '--format',
      'json',
    );
    const report = JSON.parse(out);
    expect(report.routes.map((r: { id: string }) => r.id)).toEqual([
      'ingress:app/app2-service-ingress:0:0',
    ]);
  });

  it('gives a verdict per route for --client-ip', async () => {
    const { out } = await run(
      'trace',
      seed004,
      '--host',
      'app3.qas.abc.com',
      '--client-ip',
      '203.0.113.7',
    );
    expect(out).toContain(
      'verdict: 203.0.113.7: BLOCKED at load-balancer — the load balancer 10.17.0.200 is internal: not reachable from the public address 203.0.113.7',
    );
  });

  it('writes Mermaid with the ClusterIP aside, not on the way', async () => {
    const { out } = await run(
      'trace',
      seed004,
      '--host',
      'app1.qas.abc.com',
      '--format',
      'mermaid',
    );
    expect(out.startsWith('flowchart LR\n')).toBe(true);
    expect(out).toContain(
      'r0h2["load-balancer: public load balancer 47.100.21.10 (alibaba-cloud)"]',
    );
    expect(out).toContain('r0svc -. endpoints .- r0h7');
    expect(out).toContain('r0h6 --> r0h7');
  });

  it('writes Markdown with the hop table and the findings', async () => {
    const { out } = await run(
      'trace',
      seed004,
      '--host',
      'app1.qas.abc.com',
      '--format',
      'markdown',
    );
    expect(out).toContain('| step | from | to | what happens |');
    expect(out).toContain('| 1 | `client:any` | `47.100.21.10:443` |');
    expect(out).toContain(
      '| info | `PUBLIC_WITHOUT_SOURCE_RESTRICTION` | Service kube-system/nginx-ingress-lb |',
    );
  });

  it('exits 2 with a message for usage errors', async () => {
    expect(await run('trace')).toMatchObject({
      code: 2,
      err: expect.stringContaining('no input'),
    });
    expect(await run('trace', seed004, '--format', 'xml')).toMatchObject({
      code: 2,
      err: expect.stringContaining(
        '--format must be one of table, json, mermaid, markdown',
      ),
    });
    expect(
      await run('trace', seed004, '--client-ip', '1.2.3.999'),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining(
        '--client-ip "1.2.3.999" is not an IPv4 or IPv6 address',
      ),
    });
    expect(await run('trace', seed004, '--colour')).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown option --colour'),
    });
    expect(await run('deploy')).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "deploy"'),
    });
    expect(await run('trace', 'no/such/dir')).toMatchObject({
      code: 2,
      err: expect.stringContaining('no/such/dir: no such file or directory'),
    });
  });

  it('exits 2 when the input holds no Kubernetes object, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'traffic-path-'));
    writeFileSync(join(dir, 'broken.yaml'), 'kind: [unclosed');
    const { code, err } = await run('trace', dir);
    expect(code).toBe(2);
    expect(err).toContain('no Kubernetes objects in');
    expect(err).toContain('broken.yaml: invalid YAML');
  });

  it('still answers with the rest when one object is malformed, and names it on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'traffic-path-'));
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({
        kind: 'Service',
        metadata: { name: 'x', namespace: 'app' },
        spec: { ports: 'eighty' },
      }),
    );
    const { code, out, err } = await run(
      'trace',
      seed004,
      dir,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out).routes.length).toBeGreaterThan(3);
    expect(err).toContain(
      'field spec.ports: Service x: spec.ports should be an array, found a string; it is ignored',
    );
  });

  it('reads overlapping dumps once, naming the objects they both hold and the files', async () => {
    // `kubectl get all -A` and `kubectl get ingress -A` of one cluster overlap.
    const dir = mkdtempSync(join(tmpdir(), 'traffic-path-'));
    cpSync(join(root, seed004), dir, { recursive: true });
    const once = JSON.parse(
      (await run('trace', seed004, '--format', 'json')).out,
    );
    const { code, out, err } = await run(
      'trace',
      seed004,
      dir,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const twice = JSON.parse(out);
    // Same routes, endpoints counted once, no conflict of an Ingress with its copy.
    expect(twice.routes.map((r: { id: string }) => r.id)).toEqual(
      once.routes.map((r: { id: string }) => r.id),
    );
    expect(
      twice.routes.map(
        (r: { hops: { kind: string; label: string }[] }) =>
          r.hops.find(h => h.kind === 'pod')?.label,
      ),
    ).toEqual(
      once.routes.map(
        (r: { hops: { kind: string; label: string }[] }) =>
          r.hops.find(h => h.kind === 'pod')?.label,
      ),
    );
    expect(twice.findings).toEqual(once.findings);
    const copy = relative(root, join(dir, 'app.yaml'));
    expect(twice.inputErrors).toContainEqual({
      source: copy,
      item: 'Ingress app/app1-service-ingress',
      message: `Ingress app/app1-service-ingress appears 2 times (in ${seed004}/app.yaml and ${copy}); the last copy is used`,
    });
    expect(twice.inputErrors).toContainEqual(
      expect.objectContaining({ item: 'EndpointSlice app/app1-service-x7k2p' }),
    );
    expect(err).toContain(
      `IngressClass nginx appears 2 times (in ${seed004}/ingress-nginx.yaml and ${relative(
        root,
        join(dir, 'ingress-nginx.yaml'),
      )})`,
    );
  });

  it('prints help', async () => {
    expect(await run('--help')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Usage: traffic-path trace'),
    });
  });
});
