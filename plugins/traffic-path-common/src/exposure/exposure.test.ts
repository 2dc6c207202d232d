/*
 * Exposure summaries, their comparison and policy rules, on the seed
 * scenarios and the diff-* scenarios built from them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mergeLoadResults, parseDocuments } from '../load/parse';
import { resolveReport } from '../report';
import { diffExposure } from './diff';
import { evaluatePolicy } from './policy';
import { exposureOf } from './summary';

// Each case traces whole scenarios; the full suite runs them all at once on two cores.
jest.setTimeout(60_000);

const scenarios = resolve(__dirname, '../../../../test/scenarios');

function reportOf(dir: string, clientIp?: string) {
  const full = join(scenarios, dir);
  const load = mergeLoadResults(
    readdirSync(full)
      .filter(f => /\.ya?ml$/.test(f))
      .sort()
      .map(f => parseDocuments(f, readFileSync(join(full, f), 'utf8'))),
  );
  return resolveReport(load, clientIp ? { clientIp } : {});
}

const seed004 = () => reportOf('seed-004/cluster');

describe('exposureOf', () => {
  it('summarises the entry points of seed 004: public app1 and app2, internal app3 behind a cloud ACL', () => {
    const { entries } = exposureOf(seed004());
    const byHost = (host: string) => entries.find(e => e.host === host)!;
    expect(byHost('app1.qas.abc.com')).toMatchObject({
      key: 'app1.qas.abc.com/ Ingress app/app1-service-ingress',
      path: '/',
      port: 443,
      exposure: 'public',
      tls: true,
      health: 'healthy',
      loadBalancer: {
        object: {
          kind: 'Service',
          namespace: 'kube-system',
          name: 'nginx-ingress-lb',
        },
        addresses: ['47.100.21.10'],
        provider: 'alibaba-cloud',
        id: 'lb-uf6public01',
      },
      nodePort: { externalTrafficPolicy: 'Local', snat: false },
      sourceRestriction: { kind: 'none', rules: [] },
      backend: { kind: 'Service', namespace: 'app', name: 'app1-service' },
    });
    expect(byHost('app1.qas.abc.com').findings).toMatchObject({
      error: 0,
      codes: ['PUBLIC_WITHOUT_SOURCE_RESTRICTION'],
    });
    expect(byHost('app3.qas.abc.com')).toMatchObject({
      exposure: 'internal',
      sourceRestriction: {
        kind: 'cloud-acl',
        rules: [
          {
            hop: 'load-balancer',
            mode: 'allow',
            cidrs: [],
            description: 'Alibaba Cloud ACL acl-2ze0app3 (whitelist)',
          },
        ],
      },
    });
    // The route's objects, from the Ingress to the Service behind it.
    expect(byHost('app3.qas.abc.com').objects).toEqual(
      expect.arrayContaining([
        { kind: 'Ingress', namespace: 'app', name: 'app3-service-ingress' },
        { kind: 'Service', namespace: 'app', name: 'app3-service' },
        {
          kind: 'Service',
          namespace: 'kube-system',
          name: 'nginx-ingress-lb-internal',
        },
      ]),
    );
    // The controller's own LoadBalancer Services are entry points too (one per port).
    expect(entries.map(e => e.key)).toEqual([
      ':443 Service kube-system/nginx-ingress-lb',
      ':443 Service kube-system/nginx-ingress-lb-internal',
      ':80 Service kube-system/nginx-ingress-lb',
      ':80 Service kube-system/nginx-ingress-lb-internal',
      'app1.qas.abc.com/ Ingress app/app1-service-ingress',
      'app2.qas.abc.com/ Ingress app/app2-service-ingress',
      'app3.qas.abc.com/ Ingress app/app3-service-ingress',
    ]);
  });

  it('is stable and JSON-serialisable: the same input gives the same text', () => {
    const a = JSON.stringify(exposureOf(seed004()));
    const b = JSON.stringify(exposureOf(seed004()));
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual(exposureOf(seed004()));
    expect(a).not.toMatch(/undefined|Date|T\d\d:\d\d/);
  });

  it('reads a self-managed load balancer at a private address as internal (seed 003)', () => {
    const { entries } = exposureOf(reportOf('seed-003/cluster'));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      // 192.168.1.1 is a private address: the external LB is internal.
      expect(e.exposure).toBe('internal');
      expect(e.sourceRestriction.kind).toBe('none');
    }
  });

  it('carries the client verdict when the report has one', () => {
    const { entries } = exposureOf(reportOf('seed-004/cluster', '203.0.113.7'));
    expect(entries.find(e => e.host === 'app3.qas.abc.com')!.verdict).toEqual({
      clientIp: '203.0.113.7',
      allowed: false,
      blockedAt: 'load-balancer',
    });
  });
});

describe('diffExposure', () => {
  it('finds nothing between two reads of the same cluster', () => {
    expect(diffExposure(exposureOf(seed004()), exposureOf(seed004()))).toEqual(
      [],
    );
  });

  it('reports the removed ACL, the dropped TLS and the new public host of diff-exposure', () => {
    const changes = diffExposure(
      exposureOf(seed004()),
      exposureOf(reportOf('diff-exposure/cluster')),
    );
    const brief = changes.map(c => [c.key, c.kind, c.impact]);
    expect(brief).toEqual(
      expect.arrayContaining([
        [
          'api.qas.abc.com/api Ingress app/app1-api-ingress',
          'entry-added',
          'risk',
        ],
        [
          'app2.qas.abc.com/ Ingress app/app2-service-ingress',
          'tls-dropped',
          'risk',
        ],
        [
          'app3.qas.abc.com/ Ingress app/app3-service-ingress',
          'restriction-removed',
          'risk',
        ],
      ]),
    );
    expect(changes.find(c => c.kind === 'entry-added')!.message).toBe(
      'api.qas.abc.com/api (Ingress app/app1-api-ingress) is a new public entry point open to the whole internet, without TLS',
    );
    expect(
      changes.find(
        c => c.kind === 'restriction-removed' && c.host === 'app3.qas.abc.com',
      )!.before,
    ).toBe(
      'allow Alibaba Cloud ACL acl-2ze0app3 (whitelist) at the load-balancer (alibaba-cloud-loadbalancer-acl annotations)',
    );
    // Sorted by entry point: a stored history compares equal across runs.
    const keys = changes.map(c => c.key);
    expect(keys).toEqual([...keys].sort());
    // And the reverse change reads as the reverse.
    const back = diffExposure(
      exposureOf(reportOf('diff-exposure/cluster')),
      exposureOf(seed004()),
    ).map(c => [c.key, c.kind, c.impact]);
    expect(back).toEqual(
      expect.arrayContaining([
        [
          'api.qas.abc.com/api Ingress app/app1-api-ingress',
          'entry-removed',
          'neutral',
        ],
        [
          'app2.qas.abc.com/ Ingress app/app2-service-ingress',
          'tls-added',
          'improvement',
        ],
        [
          'app3.qas.abc.com/ Ingress app/app3-service-ingress',
          'restriction-added',
          'improvement',
        ],
      ]),
    );
  });

  it('reports an internal entry point that became public, with its new load balancer', () => {
    const changes = diffExposure(
      exposureOf(seed004()),
      exposureOf(reportOf('diff-internal-to-public/cluster')),
    ).filter(c => c.host === 'app3.qas.abc.com');
    expect(changes.map(c => c.kind)).toEqual([
      'became-public',
      'load-balancer-changed',
      'restriction-removed',
    ]);
    expect(changes[0]).toMatchObject({
      before: 'internal',
      after: 'public',
      impact: 'risk',
      message:
        'app3.qas.abc.com/ (Ingress app/app3-service-ingress) is now public (was internal)',
    });
    expect(changes[1].after).toBe('kube-system/nginx-ingress-lb 47.100.21.10');
  });

  it('reports a route newly blocked for the client, and unblocked back', () => {
    const internal = exposureOf(reportOf('seed-004/cluster', '203.0.113.7'));
    const publicNow = exposureOf(
      reportOf('diff-internal-to-public/cluster', '203.0.113.7'),
    );
    const kinds = (a: typeof internal, b: typeof internal) =>
      diffExposure(a, b)
        .filter(c => c.host === 'app3.qas.abc.com')
        .map(c => c.kind);
    expect(kinds(internal, publicNow)).toContain('unblocked');
    expect(kinds(publicNow, internal)).toContain('blocked');
  });
});

describe('NetworkPolicies in the summary and the diff', () => {
  const files = [
    '_shared/ingress-nginx.yaml',
    '_shared/shop-web.yaml',
    'network-policy-ingress-nginx/cluster/services.yaml',
    'network-policy-ingress-nginx/cluster/shop.yaml',
  ];
  const load = () =>
    mergeLoadResults(
      files.map(f =>
        parseDocuments(f, readFileSync(join(scenarios, f), 'utf8')),
      ),
    );

  it('carries the NetworkPolicy verdict and the policies that isolate the pods', () => {
    const web = exposureOf(resolveReport(load())).entries.filter(
      e => e.object.name === 'web' && e.object.kind === 'Ingress',
    );
    const refused = web.find(e => e.host === 'shop.example.com')!;
    expect(refused.networkPolicy!.verdict).toBe('blocked');
    expect(refused.networkPolicy!.policies).toEqual([
      { kind: 'NetworkPolicy', namespace: 'shop', name: 'default-deny-all' },
      { kind: 'NetworkPolicy', namespace: 'shop', name: 'web-allow-frontend' },
    ]);
    expect(refused.health).toBe('broken');
    expect(
      web.find(e => e.host === 'api.example.com')!.networkPolicy!.verdict,
    ).toBe('allowed');
    // Whether the platform's namespace admits the controller is not in the input.
    expect(
      web.find(e => e.host === 'admin.example.com')!.networkPolicy!.verdict,
    ).toBe('unknown');
  });

  it('reports a route that the NetworkPolicies now refuse', () => {
    const all = load();
    // Before: the same cluster with no NetworkPolicy, listed as an empty list.
    const before = resolveReport({
      ...all,
      objects: all.objects.filter(o => o.kind !== 'NetworkPolicy'),
      sources: [],
    });
    const changes = diffExposure(
      exposureOf(before),
      exposureOf(resolveReport(all)),
    ).filter(c => c.kind === 'blocked');
    expect(changes.map(c => c.host)).toEqual([
      'metrics.example.com',
      'shop.example.com',
    ]);
    expect(changes[1]).toMatchObject({
      impact: 'risk',
      object: { kind: 'Ingress', namespace: 'shop', name: 'web' },
    });
    expect(changes[1].message).toMatch(
      /^shop\.example\.com\/ \(Ingress shop\/web\) is now blocked: NetworkPolicy refuses it: NetworkPolicy shop\/default-deny-all, shop\/web-allow-frontend: 2 of 2 pods isolated/,
    );
  });
});

describe('evaluatePolicy', () => {
  it('flags public entry points without a restriction, except listed hosts', () => {
    const findings = evaluatePolicy(reportOf('diff-exposure/cluster'), {
      rules: {
        publicNeedsSourceRestriction: { exceptHosts: ['app1.qas.abc.com'] },
        publicNeedsTls: {},
      },
    });
    const brief = findings.map(f => [f.code, f.object.name, f.severity]);
    expect(brief).toEqual(
      expect.arrayContaining([
        ['POLICY_PUBLIC_UNRESTRICTED', 'app1-api-ingress', 'error'],
        ['POLICY_PUBLIC_UNRESTRICTED', 'app2-service-ingress', 'error'],
        ['POLICY_PUBLIC_WITHOUT_TLS', 'app1-api-ingress', 'error'],
        ['POLICY_PUBLIC_WITHOUT_TLS', 'app2-service-ingress', 'error'],
      ]),
    );
    expect(brief).not.toContainEqual([
      'POLICY_PUBLIC_UNRESTRICTED',
      'app1-service-ingress',
      'error',
    ]);
    // app3 is internal: neither rule applies to it.
    expect(findings.some(f => f.object.name === 'app3-service-ingress')).toBe(
      false,
    );
    const api = findings.find(
      f =>
        f.code === 'POLICY_PUBLIC_WITHOUT_TLS' &&
        f.object.name === 'app1-api-ingress',
    )!;
    expect(api.message).toBe(
      'api.qas.abc.com/api (Ingress app/app1-api-ingress) is public without TLS',
    );
    expect(api.reproduce).toBe(
      'kubectl get ingress -n app app1-api-ingress -o yaml',
    );
  });

  it('applies the allowed load-balancer exposure of a namespace, with the rule severity', () => {
    const findings = evaluatePolicy(
      reportOf('diff-internal-to-public/cluster'),
      {
        rules: {
          loadBalancerExposure: {
            severity: 'warning',
            default: ['public', 'internal'],
            namespaces: { app: ['internal'] },
          },
        },
      },
    );
    expect(
      findings.map(f => [f.code, f.object.name, f.severity, f.message]),
    ).toEqual(
      expect.arrayContaining([
        [
          'POLICY_LB_EXPOSURE_NOT_ALLOWED',
          'app3-service-ingress',
          'warning',
          'app3.qas.abc.com/ (Ingress app/app3-service-ingress) is public; namespace app allows internal',
        ],
      ]),
    );
    // kube-system falls back to the default, which allows both.
    expect(findings.some(f => f.object.namespace === 'kube-system')).toBe(
      false,
    );
  });

  it('forbids externalTrafficPolicy Cluster in front of an ingress allowlist', () => {
    const full = join(scenarios, 'ingress-allowlist-snat/cluster');
    const shared = join(scenarios, '_shared');
    const load = mergeLoadResults(
      [shared, full].flatMap(dir =>
        readdirSync(dir)
          .filter(f => /\.ya?ml$/.test(f))
          .sort()
          .map(f => parseDocuments(f, readFileSync(join(dir, f), 'utf8'))),
      ),
    );
    const findings = evaluatePolicy(resolveReport(load), {
      rules: { noSnatBeforeAllowlist: {} },
    });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].code).toBe('POLICY_SNAT_BEFORE_ALLOWLIST');
    expect(findings[0].message).toMatch(
      /has an allowlist at the ingress .* with externalTrafficPolicy Cluster: it sees node addresses, not clients$/,
    );
    // A disabled rule says nothing.
    expect(
      evaluatePolicy(resolveReport(load), {
        rules: { noSnatBeforeAllowlist: { enabled: false } },
      }),
    ).toEqual([]);
  });

  it('before deploy: the SNAT is proven, the node port number is not (no "node port 0")', () => {
    const report = reportOf('rules-before-deploy-snat/cluster');
    const entry = exposureOf(report).entries.find(
      e => e.host === 'shop.example.com',
    );
    expect(entry?.nodePort).toEqual({
      externalTrafficPolicy: 'Cluster',
      snat: true,
    });
    const findings = evaluatePolicy(report, {
      rules: { noSnatBeforeAllowlist: {} },
    });
    expect(findings.map(f => f.message)).toEqual([
      'shop.example.com/ (Ingress shop/web) has an allowlist at the ingress (nginx.ingress.kubernetes.io/whitelist-source-range) behind the node port (assigned at deploy) with externalTrafficPolicy Cluster: it sees node addresses, not clients',
    ]);
    // Nothing only a live cluster could prove is an error.
    expect(report.findings.filter(f => f.severity === 'error')).toEqual([]);
  });
});
