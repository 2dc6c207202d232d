/*
 * Real dumps from public projects (test/realdata, see its SOURCES.md): every
 * one loads and resolves without an internal error, the report is sound, and
 * what is known to be wrong in them is found.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findingCodes } from './findings/catalog';
import { HopKind, Report } from './model';
import { resolveReport } from './report';
import { toMarkdown } from './export/markdown';
import { toMermaid } from './export/mermaid';
import { toTable } from './export/table';
import { loadFiles, realdataDir as realdata } from './__testUtils__/scenarios';

const verrazzano = join(realdata, 'verrazzano-bugreport');

// Each verrazzano case is one cluster, each popeye and kube-score file a
// fixture of its own (they reuse object names), the Backstage fixtures one input.
const files = (folder: string) =>
  readdirSync(join(realdata, folder))
    .filter(f => /\.ya?ml$|\.json$/.test(f))
    .map(
      f => [`${folder}/${f}`, join(realdata, folder, f)] as [string, string],
    );
const clusters: [string, string][] = [
  ['backstage', join(realdata, 'backstage')],
  ...files('kube-score'),
  ...files('popeye'),
  ...readdirSync(verrazzano, { withFileTypes: true })
    .filter(d => d.isDirectory())
    .map(
      d =>
        [`verrazzano ${d.name}`, join(verrazzano, d.name)] as [string, string],
    ),
];

const order: HopKind[] = [
  'client',
  'dns',
  'load-balancer',
  'node-port',
  'kube-proxy',
  'ingress-controller',
  'ingress',
  // What a proxy does that is not modelled comes after its rule; a mesh route has only it.
  'not-modelled',
  'service',
  'network-policy',
  'pod',
  'container',
];

function trace(...paths: string[]): Report {
  return resolveReport(loadFiles(paths, realdata));
}

describe.each(clusters)('real dump: %s', (_name, dir) => {
  const load = loadFiles([dir], realdata);
  const report = resolveReport(load);

  it('loads objects and resolves them without an internal error', () => {
    expect(load.objects.length).toBeGreaterThan(0);
    expect(
      report.inputErrors.filter(e => e.message.includes('internal error')),
    ).toEqual([]);
  });

  it('lists hops in the order a request meets them', () => {
    for (const route of report.routes) {
      const kinds = route.hops.map(h => h.kind);
      expect(kinds[0]).toBe('client');
      // A second kube-proxy hop only follows a Service on the way (ClusterIP used).
      const ranks = kinds.map((k, i) =>
        k === 'kube-proxy' && kinds[i - 1] === 'service'
          ? order.indexOf('service')
          : order.indexOf(k),
      );
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it('derives route health from its hops', () => {
    for (const route of report.routes) {
      const broken = route.hops.find(h => h.status === 'broken');
      expect(route.health === 'broken').toBe(!!broken);
      expect(route.brokenAt).toBe(broken?.kind);
    }
  });

  it('says "undefined" in no format', () => {
    const withClient = resolveReport(load, { clientIp: '203.0.113.9' });
    for (const text of [
      JSON.stringify(withClient),
      toTable(withClient),
      toMermaid(withClient),
      toMarkdown(withClient),
    ])
      expect(text).not.toMatch(/undefined/);
  });

  it('gives every finding a known code, its object and a kubectl command', () => {
    for (const f of report.findings) {
      expect(Object.keys(findingCodes)).toContain(f.code);
      expect(f.object.name).toBeTruthy();
      expect(f.reproduce).toMatch(/^kubectl /);
    }
  });
});

describe('what the real dumps are known for', () => {
  it('reports the malformed spec.tls of the Backstage fixture, naming file, object and field', () => {
    const report = trace(join(realdata, 'backstage'));
    expect(report.inputErrors).toContainEqual(
      expect.objectContaining({
        source: 'backstage/3-ingresses.excerpt.json',
        field: 'spec.tls',
        item: expect.stringContaining(
          'Ingress dice-roller/app-service-endpoint.dice-roller.backstage.io',
        ),
      }),
    );
    // The rest of that Ingress still resolves.
    expect(
      report.routes.some(
        r =>
          r.entry.object.name ===
          'app-service-endpoint.dice-roller.backstage.io',
      ),
    ).toBe(true);
  });

  it.each([
    'ingress-invalid-shape',
    'ingress-ip-not-found',
    'ingress-lb-limit',
    'lb-ipnotset',
  ])('finds the pending load balancer of the OKE bug report %s', name => {
    const report = trace(join(verrazzano, name));
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        code: 'LB_PENDING',
        object: {
          kind: 'Service',
          namespace: 'verrazzano-ingress-nginx',
          name: 'ingress-controller-ingress-nginx-controller',
        },
      }),
    );
    expect(
      report.routes.find(
        r =>
          r.entry.object.name === 'ingress-controller-ingress-nginx-controller',
      ),
    ).toMatchObject({ health: 'broken', brokenAt: 'load-balancer' });
  });

  it('does not claim Services missing from namespaces the dump does not cover', () => {
    const report = trace(join(verrazzano, 'problem-pods-install'));
    expect(report.findings.map(f => f.code)).not.toContain(
      'BACKEND_SERVICE_NOT_FOUND',
    );
    expect(
      report.findings.filter(f => f.code === 'INGRESS_NO_ADDRESS'),
    ).toHaveLength(8);
  });

  it("reads popeye's named ports and NodePort with externalTrafficPolicy Local", () => {
    const services = trace(join(realdata, 'popeye/core_svc_1.yaml'));
    const np = services.routes
      .flatMap(r => r.hops)
      .find(h => h.kind === 'node-port');
    expect(np).toMatchObject({
      nodePort: 30400,
      externalTrafficPolicy: 'Local',
    });
    const ingresses = trace(
      ...['net_ingress_1.yaml', 'core_svc_1.yaml', 'core_pod_1.yaml'].map(f =>
        join(realdata, 'popeye', f),
      ),
    );
    expect(ingresses.findings).toContainEqual(
      expect.objectContaining({
        code: 'BACKEND_PORT_NOT_FOUND',
        object: { kind: 'Ingress', namespace: 'default', name: 'ing6' },
        message:
          'Ingress default/ing6 sends to port 9091 of Service svc1: Service svc1 has no port 9091 (ports: 9090 (http))',
      }),
    );
    expect(ingresses.findings).toContainEqual(
      expect.objectContaining({
        code: 'BACKEND_SERVICE_NOT_FOUND',
        object: { kind: 'Ingress', namespace: 'default', name: 'ing3' },
      }),
    );
    // Only the default namespace was dumped: the controller may well exist elsewhere.
    expect(ingresses.findings.map(f => f.code)).not.toContain(
      'INGRESS_CONTROLLER_NOT_FOUND',
    );
  });

  it("finds that popeye's np1 and np2 admit only TCP 6379, so svc1's NodePort is refused at the pods", () => {
    const report = trace(
      ...[
        'core_svc_1.yaml',
        'core_pod_1.yaml',
        'core_ep_1.yaml',
        'net_np_1.yaml',
      ].map(f => join(realdata, 'popeye', f)),
    );
    const route = report.routes.find(r => r.id === 'service:default/svc1:9090');
    expect(route).toMatchObject({
      health: 'broken',
      brokenAt: 'network-policy',
    });
    const hop = route!.hops.find(h => h.kind === 'network-policy');
    expect(hop).toMatchObject({
      sourceAddress: { kind: 'client' },
      policies: [
        { kind: 'NetworkPolicy', namespace: 'default', name: 'np1' },
        { kind: 'NetworkPolicy', namespace: 'default', name: 'np2' },
      ],
      pods: [{ pod: 'p1', allowed: false, clientAllow: [] }],
    });
    // A Service without endpoints gets no policy hop: there is nothing to judge.
    expect(
      report.routes
        .find(r => r.id === 'service:default/svc4:80')!
        .hops.map(h => h.kind),
    ).not.toContain('network-policy');
  });

  it("reports kube-score's podSelector without matchLabels, which the API server drops", () => {
    const report = trace(
      join(realdata, 'kube-score/networkpolicy-not-matching.yaml'),
    );
    expect(report.inputErrors).toContainEqual({
      source: 'kube-score/networkpolicy-not-matching.yaml',
      item: 'NetworkPolicy testspace/testapp-netpol',
      field: 'spec.podSelector.app',
      message: expect.stringContaining('the API server drops it'),
    });
  });

  it("does not isolate kube-score's pod with its Egress-only policy", () => {
    const load = loadFiles(
      [
        join(
          realdata,
          'kube-score/networkpolicy-targets-pod-not-matching.yaml',
        ),
      ],
      realdata,
    );
    // A NodePort Service in front of the fixture's pod, to have a route.
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'testapp', namespace: 'testspace' },
      spec: {
        type: 'NodePort',
        selector: { app: 'testapp' },
        ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }],
      },
    };
    const report = resolveReport([...load.objects, service]);
    expect(report.inputErrors).toEqual([]);
    const hop = report.routes[0].hops.find(h => h.kind === 'network-policy');
    expect(hop).toMatchObject({
      status: 'ok',
      policies: [],
      pods: [{ pod: 'pod-test-1', isolatedBy: [], allowed: true }],
    });
  });

  it("follows popeye's HTTPRoutes: a route to a Gateway, a missing Gateway, a mesh parent not modelled", () => {
    const report = trace(
      ...[
        'net_gw_1.yaml',
        'net_gwc_1.yaml',
        'net_gwr_1.yaml',
        'core_svc_1.yaml',
        'core_pod_1.yaml',
        'core_ep_1.yaml',
      ].map(f => join(realdata, 'popeye', f)),
    );
    const r1 = report.routes.find(r => r.entry.object.name === 'r1');
    expect(r1).toMatchObject({
      entry: { kind: 'http-route-rule', host: 'fred', path: '/blee' },
      backend: { kind: 'Service', namespace: 'default', name: 'svc1' },
    });
    // No Service of gw1's implementation in the dump: its pods are not known.
    expect(r1!.health).toBe('unknown');
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        code: 'GATEWAY_NOT_FOUND',
        object: { kind: 'HTTPRoute', namespace: 'default', name: 'r2' },
      }),
    );
    const r3 = report.routes.find(r => r.entry.object.name === 'r3');
    expect(r3).toMatchObject({
      id: 'httproute:default/r3:0:mesh',
      health: 'unknown',
      hops: [
        { kind: 'client' },
        {
          kind: 'not-modelled',
          status: 'unknown',
          label:
            'HTTPRoute default/r3 attached to Service default/svc-bozo: not modelled',
        },
      ],
    });
  });
});
