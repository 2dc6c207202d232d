/*
 * `trace --namespace N` on manifests (helm template output): objects that
 * name no namespace are in N, as `check --namespace` and `kubectl apply -n`
 * put them; without it they are in `default`.
 */
import { resolve } from 'node:path';
import { main } from './index';
import { parseArgs } from './args';

const root = resolve(__dirname, '../../..');
const manifests = 'test/scenarios/manifests-microservices-demo/cluster';

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

type Json = {
  routes: { id: string; backend?: { namespace: string } }[];
  findings: { object: { namespace?: string } }[];
};

describe('traffic-path trace --namespace', () => {
  it('puts manifests that name no namespace in the one given', async () => {
    const { code, out } = await run(
      'trace',
      manifests,
      '--namespace',
      'boutique',
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const report: Json = JSON.parse(out);
    const ids = report.routes.map(r => r.id);
    expect(ids).toContain('service:boutique/frontend-external:80');
    expect(ids.filter(id => id.includes('default/'))).toEqual([]);
    expect(
      report.routes.find(r => r.id === 'service:boutique/frontend-external:80')
        ?.backend,
    ).toMatchObject({ namespace: 'boutique', name: 'frontend-external' });
    const namespaces = new Set(
      report.findings.map(f => f.object.namespace).filter(Boolean),
    );
    expect([...namespaces]).toEqual(['boutique']);
  });

  it('means what check --namespace means', async () => {
    const trace = await run('trace', manifests, '--namespace', 'boutique');
    expect(trace.out).toContain('Service boutique/frontend-external');
    const check = await run(
      'check',
      manifests,
      '--namespace',
      'boutique',
      '--format',
      'json',
    );
    expect(check.out).toContain('boutique/frontend-external');
    expect(check.out).not.toContain('default/frontend-external');
  });

  it('keeps them in default without it', async () => {
    const { out } = await run('trace', manifests, '--format', 'json');
    const ids = (JSON.parse(out) as Json).routes.map(r => r.id);
    expect(ids).toContain('service:default/frontend-external:80');
  });

  it('is parsed for files as for a kubeconfig', () => {
    expect(parseArgs(['trace', manifests, '--namespace=shop'])).toMatchObject({
      inputs: [manifests],
      namespace: 'shop',
    });
    expect(
      parseArgs(['trace', '--kubeconfig', 'k', '--namespace', 'shop']),
    ).toMatchObject({ kubeconfig: 'k', namespace: 'shop' });
    expect(() => parseArgs(['trace', manifests, '--context', 'c'])).toThrow(
      '--context needs --kubeconfig',
    );
  });
});
