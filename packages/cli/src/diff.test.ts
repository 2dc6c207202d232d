/*
 * `traffic-path diff` on seed 004 and the diff-* scenarios made from it:
 * table, JSON and Markdown, and its usage errors.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { main } from './index';

// Each case traces whole scenarios; the full suite runs them all at once on two cores.
jest.setTimeout(60_000);

const root = resolve(__dirname, '../../..');
const before = 'test/scenarios/seed-004/cluster';
const after = 'test/scenarios/diff-exposure/cluster';

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

describe('traffic-path diff', () => {
  it('prints the changes as a table, risks marked', async () => {
    const { code, out, err } = await run('diff', before, '--', after);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const lines = out.trim().split('\n');
    expect(lines).toContain(
      'RISK    entry-added          api.qas.abc.com/api (Ingress app/app1-api-ingress) is a new public entry point open to the whole internet, without TLS',
    );
    expect(lines).toContain(
      'RISK    tls-dropped          app2.qas.abc.com/ (Ingress app/app2-service-ingress) no longer serves TLS',
    );
    expect(lines).toContain(
      'RISK    restriction-removed  app3.qas.abc.com/ (Ingress app/app3-service-ingress) lost a source restriction: allow Alibaba Cloud ACL acl-2ze0app3 (whitelist) at the load-balancer (alibaba-cloud-loadbalancer-acl annotations)',
    );
    expect(lines[lines.length - 1]).toBe(
      '5 change(s) to exposure: 5 risk, 0 improvement, 0 neutral.',
    );
  });

  it('exits 3 with --fail-on-risk when a change is a risk, and 0 when none is', async () => {
    expect(
      (await run('diff', '--fail-on-risk', before, '--', after)).code,
    ).toBe(3);
    expect(
      (await run('diff', '--fail-on-risk', before, '--', before)).code,
    ).toBe(0);
    // Back from the risky state: improvements and neutral changes only.
    const back = await run('diff', '--fail-on-risk', after, '--', before);
    expect(back.code).toBe(0);
    expect(back.out).toContain('0 risk');
  });

  it('says so when nothing changes', async () => {
    const { code, out } = await run('diff', before, '--', before);
    expect(code).toBe(0);
    expect(out).toBe('No change to exposure.\n');
  });

  it('writes Markdown for a pull-request comment', async () => {
    const { out } = await run(
      'diff',
      '--format',
      'markdown',
      before,
      '--',
      'test/scenarios/diff-internal-to-public/cluster',
    );
    const lines = out.split('\n');
    expect(lines[0]).toBe('### Traffic Path: exposure changes');
    expect(lines).toContain('| impact | change | entry point | what changes |');
    expect(lines).toContain(
      '| ⚠️ risk | `became-public` | `app3.qas.abc.com/` Ingress app/app3-service-ingress | app3.qas.abc.com/ (Ingress app/app3-service-ingress) is now public (was internal) |',
    );
    expect(lines).toContain(
      '| change | `load-balancer-changed` | `app3.qas.abc.com/` Ingress app/app3-service-ingress | app3.qas.abc.com/ (Ingress app/app3-service-ingress) is now behind kube-system/nginx-ingress-lb 47.100.21.10 (was kube-system/nginx-ingress-lb-internal 10.17.0.200) |',
    );
  });

  it('writes JSON with the changes and both summaries', async () => {
    const { out } = await run('diff', '--format', 'json', before, '--', after);
    const result = JSON.parse(out);
    expect(result.schemaVersion).toBe(1);
    expect(result.counts).toEqual({ risk: 5, improvement: 0, neutral: 0 });
    expect(result.changes[0]).toMatchObject({
      kind: 'restriction-removed',
      impact: 'risk',
      object: {
        kind: 'Service',
        namespace: 'kube-system',
        name: 'nginx-ingress-lb-internal',
      },
    });
    expect(result.after.entries.map((e: { key: string }) => e.key)).toContain(
      'api.qas.abc.com/api Ingress app/app1-api-ingress',
    );
    expect(
      result.before.entries.map((e: { key: string }) => e.key),
    ).not.toContain('api.qas.abc.com/api Ingress app/app1-api-ingress');
  });

  it('writes JSON that packages/cli/schemas/exposure.schema.json accepts, on every diff-* scenario and the real dumps', async () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(
        readFileSync(
          join(root, 'packages/cli/schemas/exposure.schema.json'),
          'utf8',
        ),
      ),
    );
    for (const [a, b] of [
      [before, after],
      [before, 'test/scenarios/diff-internal-to-public/cluster'],
      [
        'test/scenarios/_shared',
        'test/scenarios/network-policy-ingress-nginx/cluster',
      ],
      ['test/realdata/verrazzano-bugreport', 'test/realdata/popeye'],
      [
        'test/scenarios/gateway-api/cluster',
        'test/scenarios/nlb-ip-target/cluster',
      ],
    ]) {
      const { code, out } = await run(
        'diff',
        '--format',
        'json',
        '--client-ip',
        '203.0.113.7',
        a,
        '--',
        b,
      );
      expect(code).toBe(0);
      const result = JSON.parse(out);
      expect({ a, b, errors: validate(result) ? [] : validate.errors }).toEqual(
        { a, b, errors: [] },
      );
    }
  });

  it('reports a route now blocked for a client', async () => {
    const { out } = await run(
      'diff',
      '--client-ip',
      '203.0.113.7',
      'test/scenarios/diff-internal-to-public/cluster',
      '--',
      before,
    );
    expect(out).toContain(
      'RISK    blocked                app3.qas.abc.com/ (Ingress app/app3-service-ingress) is now blocked: client 203.0.113.7 blocked at the load-balancer hop',
    );
  });

  it('exits 2 on usage errors', async () => {
    for (const [argv, message] of [
      [['diff', before, after], 'separate the two states with --'],
      [['diff', before, '--'], 'name the files of both states'],
      [
        ['diff', before, '--', after, '--format', 'json'],
        'diff: options go before --, and --format comes after it',
      ],
      [
        ['diff', '--format', 'xml', before, '--', after],
        '--format must be one of table, json, markdown',
      ],
      [
        ['diff', '--client-ip', 'nope', before, '--', after],
        '--client-ip "nope" is not an IPv4 or IPv6 address',
      ],
      [['diff', 'no/such', '--', after], 'no/such: no such file or directory'],
    ] as [string[], string][]) {
      const { code, err } = await run(...argv);
      expect({ argv, code, has: err.includes(message) }).toEqual({
        argv,
        code: 2,
        has: true,
      });
    }
  });
});
