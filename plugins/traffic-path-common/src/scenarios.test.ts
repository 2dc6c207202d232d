/*
 * Runs every scenario under test/scenarios: real Kubernetes YAML in, the
 * report compared with the scenario's expected.yaml (routes by id, with
 * their health, hops and verdicts; findings that must and must not appear).
 */
import { Report } from './model';
import { resolveReport } from './report';
import { toMarkdown } from './export/markdown';
import { toMermaid } from './export/mermaid';
import { toTable } from './export/table';
import { Case, loadScenario, scenarioNames } from './__testUtils__/scenarios';

/** Every format a report is given in. */
function exports(report: Report): Record<string, string> {
  return {
    json: JSON.stringify(report),
    table: toTable(report),
    mermaid: toMermaid(report),
    markdown: toMarkdown(report),
  };
}

function checkCase(report: Report, c: Case) {
  for (const want of c.routes ?? []) {
    const route = report.routes.find(r => r.id === want.id);
    expect({ id: want.id, found: !!route }).toEqual({
      id: want.id,
      found: true,
    });
    const { hops, hopDetails, ...rest } = want;
    expect(route).toMatchObject(rest);
    if (hops) expect(route!.hops.map(h => h.kind)).toEqual(hops);
    for (const detail of hopDetails ?? []) {
      expect(route!.hops.find(h => h.kind === detail.kind)).toMatchObject(
        detail,
      );
    }
  }
  for (const id of c.noRoutes ?? []) {
    expect(report.routes.map(r => r.id)).not.toContain(id);
  }
  for (const want of c.findings ?? []) {
    expect(report.findings).toContainEqual(expect.objectContaining(want));
  }
  for (const code of c.noFindings ?? []) {
    expect(report.findings.map(f => f.code)).not.toContain(code);
  }
}

const names = scenarioNames();

describe('scenarios', () => {
  it('has a scenario for every finding code required by the engine issues', () => {
    const covered = new Set(
      names.flatMap(n =>
        loadScenario(n).expected.cases.flatMap(c =>
          (c.findings ?? []).map(f => f.code as string),
        ),
      ),
    );
    for (const code of [
      'LB_PENDING',
      'INGRESS_NO_ADDRESS',
      'INGRESS_CLASS_NOT_FOUND',
      'INGRESS_CONTROLLER_NOT_FOUND',
      'BACKEND_SERVICE_NOT_FOUND',
      'BACKEND_PORT_NOT_FOUND',
      'SERVICE_NO_MATCHING_PODS',
      'SERVICE_NO_READY_ENDPOINTS',
      'ENDPOINTS_PARTIALLY_READY',
      'TARGET_PORT_NOT_FOUND',
      'TARGET_PORT_UNDECLARED',
      'TLS_SECRET_NOT_FOUND',
      'TLS_HOST_NOT_COVERED',
      'HOST_PATH_CONFLICT',
      'PUBLIC_WITHOUT_SOURCE_RESTRICTION',
      'CLIENT_IP_NOT_PRESERVED',
      'ACL_BLOCKS_CLIENT',
      'NETWORK_POLICY_BLOCKS_CONTROLLER',
      'ROUTE_HOSTNAME_MISMATCH',
      'REFERENCE_NOT_PERMITTED',
      'ROUTE_NOT_ACCEPTED',
    ]) {
      expect({ code, covered: covered.has(code) }).toEqual({
        code,
        covered: true,
      });
    }
  });

  describe.each(names)('%s', name => {
    const { load, expected } = loadScenario(name);
    it('loads without input errors', () => {
      expect(load.errors).toEqual([]);
    });
    it('lists hops in the order a request meets them', () => {
      const order = [
        'client',
        'dns',
        'load-balancer',
        'node-port',
        'kube-proxy',
        'ingress-controller',
        'ingress',
        'not-modelled',
        'service',
        'network-policy',
        'pod',
        'container',
      ];
      for (const route of resolveReport(load).routes) {
        const kinds = route.hops.map(h => h.kind);
        // A second kube-proxy hop only follows a Service on the way (ClusterIP used).
        const ranks = kinds.map((k, i) =>
          k === 'kube-proxy' && kinds[i - 1] === 'service'
            ? order.indexOf('service')
            : order.indexOf(k),
        );
        expect({ id: route.id, ranks }).toEqual({
          id: route.id,
          ranks: [...ranks].sort((a, b) => a - b),
        });
        expect(ranks).not.toContain(-1);
      }
    });
    it('says "undefined" in no format', () => {
      for (const c of expected.cases) {
        const report = resolveReport(load, {
          clientIp: '203.0.113.9',
          ...c.options,
        });
        for (const [format, text] of Object.entries(exports(report)))
          expect({ format, undefined: /undefined/.test(text) }).toEqual({
            format,
            undefined: false,
          });
      }
    });
    it.each(expected.cases.map((c, i) => [i, c] as const))(
      'case %i',
      (_i, c) => {
        expect.hasAssertions();
        checkCase(resolveReport(load, c.options ?? {}), c);
      },
    );
  });
});
