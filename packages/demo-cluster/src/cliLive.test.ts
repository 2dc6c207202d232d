/*
 * The CLI's live mode (`traffic-path trace --kubeconfig …`) against the demo
 * cluster: it reads through a kubeconfig what the portal reads, and answers
 * as it does for the same objects in files.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadInputs, main } from '@internal/traffic-path-cli';
import { DemoCluster, startDemoCluster } from './server';
import { writeKubeconfig } from './__testUtils__/kubeconfig';

const root = resolve(__dirname, '../../..');
const seed004 = join(root, 'test/scenarios/seed-004/cluster');
let cluster: DemoCluster;
let kubeconfig: string;

async function trace(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(['trace', ...argv], {
    out: t => (out += t),
    err: t => (err += t),
    cwd: root,
  });
  return { code, out, err };
}

beforeAll(async () => {
  cluster = await startDemoCluster({
    objects: loadInputs([seed004]).objects,
    token: 'live-token',
  });
  kubeconfig = writeKubeconfig(cluster, 'live-token', ['demo', 'other']);
});
afterAll(() => cluster?.close());
afterEach(() => cluster.setFaults([]));

describe('traffic-path trace --kubeconfig', () => {
  it('gives the same routes and findings as the same objects in files', async () => {
    const live = await trace(
      '--kubeconfig',
      kubeconfig,
      '--client-ip',
      '203.0.113.7',
      '--format',
      'json',
    );
    // Live reads list NetworkPolicies and find none, which says that no
    // policy isolates the pods; the files say so with an empty list.
    const noPolicies = join(
      mkdtempSync(join(tmpdir(), 'cli-live-')),
      'networkpolicies.json',
    );
    writeFileSync(
      noPolicies,
      JSON.stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicyList',
        items: [],
      }),
    );
    const files = await trace(
      seed004,
      noPolicies,
      '--client-ip',
      '203.0.113.7',
      '--format',
      'json',
    );
    expect(live.code).toBe(0);
    expect(live.err).toBe('');
    const summary = (out: string) => {
      const report = JSON.parse(out);
      return {
        kubeProxyMode: report.kubeProxyMode,
        routes: report.routes.map((r: any) => ({
          id: r.id,
          health: r.health,
          hops: r.hops.map((h: any) => `${h.kind}:${h.status}`),
          verdict: r.verdict,
        })),
        findings: report.findings.map(
          (f: any) =>
            `${f.code} ${f.object.kind}/${f.object.namespace}/${f.object.name}`,
        ),
      };
    };
    expect(summary(live.out)).toEqual(summary(files.out));
    expect(summary(live.out).routes.length).toBeGreaterThan(3);
  });

  it('reads one namespace with --namespace, and what lives cluster-wide', async () => {
    const before = cluster.requests.length;
    const { code, out } = await trace(
      '--kubeconfig',
      kubeconfig,
      '--context',
      'other',
      '--namespace',
      'app',
      '--host',
      'app1.qas.abc.com',
    );
    expect(code).toBe(0);
    expect(out).toContain(
      '== app1.qas.abc.com/ (app/app1-service-ingress) [public, TLS] — HEALTHY',
    );
    const reads = cluster.requests.slice(before);
    expect(reads.map(r => r.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/namespaces/app/pods',
        '/apis/networking.k8s.io/v1/namespaces/app/ingresses',
        '/api/v1/services',
      ]),
    );
    // Pods of other namespaces: only the ingress controllers', by label.
    expect(
      reads
        .filter(r => r.path === '/api/v1/pods')
        .every(r => r.query.includes('labelSelector')),
    ).toBe(true);
  });

  it('warns about an optional read it may not do and answers with the rest', async () => {
    cluster.setFaults([{ path: '^/api/v1/nodes$', status: 403 }]);
    const { code, out, err } = await trace(
      '--kubeconfig',
      kubeconfig,
      '--host',
      'app1.qas.abc.com',
    );
    expect(code).toBe(0);
    expect(out).toContain('app1.qas.abc.com');
    expect(err).toContain('traffic-path: warning: cluster demo');
    expect(err).toContain('GET /api/v1/nodes: HTTP 403');
  });

  it.each([
    [
      'a context the kubeconfig lacks',
      () => ['--kubeconfig', kubeconfig, '--context', 'prod'],
      'context "prod" is not in',
    ],
    [
      'a kubeconfig that does not exist',
      () => ['--kubeconfig', '/no/such/kubeconfig'],
      'cannot read kubeconfig /no/such/kubeconfig',
    ],
    [
      'a token the cluster refuses',
      () => ['--kubeconfig', writeKubeconfig(cluster, 'wrong')],
      'GET /api/v1/services: HTTP 401',
    ],
    [
      'files and a kubeconfig at once',
      () => [seed004, '--kubeconfig', kubeconfig],
      'give files or --kubeconfig, not both',
    ],
    [
      '--context without a kubeconfig',
      () => [seed004, '--context', 'demo'],
      '--context needs --kubeconfig',
    ],
  ])('exits 2 for %s', async (_what, args, message) => {
    const { code, err } = await trace(...args());
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('exits 2 when Services, which it cannot do without, are forbidden', async () => {
    cluster.setFaults([{ path: '^/api/v1/services$', status: 403 }]);
    const { code, err } = await trace('--kubeconfig', kubeconfig);
    expect(code).toBe(2);
    expect(err).toMatch(
      /cluster demo \(https:\/\/127\.0\.0\.1:\d+\): GET \/api\/v1\/services: HTTP 403/,
    );
  });
});
