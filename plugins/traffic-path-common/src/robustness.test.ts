/*
 * Whatever objects come in, the engine answers: random objects and
 * mutations of a real scenario never make it throw, never reach the
 * internal-error safety net, and every exporter still says the whole report.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mergeLoadResults, parseDocuments } from './load/parse';
import { KubeObject, Report } from './model';
import { resolveReport } from './report';
import { toMarkdown } from './export/markdown';
import { toMermaid } from './export/mermaid';
import { toTable } from './export/table';
import { routeTitle, verdictText } from './export/text';
import { loadScenario } from './__testUtils__/scenarios';

const seedDir = resolve(__dirname, '../../../test/scenarios/seed-004/cluster');
const seed = mergeLoadResults(
  readdirSync(seedDir)
    .filter(f => f.endsWith('.yaml'))
    .map(f => parseDocuments(f, readFileSync(join(seedDir, f), 'utf8'))),
);

/** Each exporter's output holds every route, hop, table row and finding of the report. */
function checkExports(report: Report): void {
  const table = toTable(report);
  expect(table).toContain(
    `routes: ${report.routes.length}, findings: ${report.findings.length}`,
  );
  for (const route of report.routes) {
    expect(table).toContain(`== ${routeTitle(route)} — `);
    for (const hop of route.hops) expect(table).toContain(hop.label);
    for (const row of route.table) expect(table).toContain(row.action);
    if (route.verdict) expect(table).toContain(verdictText(route.verdict));
  }
  for (const f of report.findings) expect(table).toContain(f.message);

  // Mermaid: one subgraph per route, one node per hop on the way (the
  // Service aside is its own node), and no label that breaks a line.
  const mermaid = toMermaid(report).trimEnd().split('\n');
  const statement = new RegExp(
    `^(${[
      'flowchart LR',
      ' {2}classDef .+',
      ' {2}subgraph r\\d+\\["[^"\\n]*"\\]',
      ' {4}direction LR',
      ' {4}r\\d+(h\\d+|svc)\\["[^"\\n]*"\\]',
      ' {4}r\\d+h\\d+ --> r\\d+h\\d+',
      ' {4}r\\d+svc -\\. endpoints \\.- r\\d+h\\d+',
      ' {4}class r\\d+h\\d+ (broken|degraded)',
      ' {2}end',
    ].join('|')})$`,
  );
  expect(mermaid.filter(l => !statement.test(l))).toEqual([]);
  expect(mermaid.filter(l => l.startsWith('  subgraph '))).toHaveLength(
    report.routes.length,
  );
  expect(mermaid.filter(l => /^ {4}r\d+(h\d+|svc)\[/.test(l))).toHaveLength(
    report.routes.reduce((n, r) => n + r.hops.length, 0),
  );

  // Markdown: a section per route (and the findings), a row per table step.
  const markdown = toMarkdown(report).split('\n');
  expect(markdown.filter(l => l.startsWith('## '))).toHaveLength(
    report.routes.length + 1,
  );
  expect(markdown.filter(l => /^\| \d+ \| `/.test(l))).toHaveLength(
    report.routes.reduce((n, r) => n + r.table.length, 0),
  );
  for (const f of report.findings)
    expect(markdown).toContainEqual(expect.stringContaining(`\`${f.code}\``));

  // JSON: the same routes and findings come back.
  const json = JSON.parse(JSON.stringify(report)) as Report;
  expect(json.routes.map(r => [r.id, r.health, r.hops.length])).toEqual(
    report.routes.map(r => [r.id, r.health, r.hops.length]),
  );
  expect(json.findings.map(f => f.code)).toEqual(
    report.findings.map(f => f.code),
  );
}

function exercise(objects: KubeObject[], clientIp?: string): Report {
  const report = resolveReport(objects, { clientIp });
  expect(
    report.inputErrors.filter(e => e.message.includes('internal error')),
  ).toEqual([]);
  checkExports(report);
  return report;
}

const kinds = [
  'Service',
  'Pod',
  'Ingress',
  'IngressClass',
  'EndpointSlice',
  'Endpoints',
  'Node',
  'ConfigMap',
  'Secret',
  'Namespace',
  'NetworkPolicy',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'Gateway',
  'GatewayClass',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'ReferenceGrant',
  'IngressRoute',
  'IngressRouteTCP',
  'Middleware',
  'VirtualService',
  // A kind named after an Object.prototype member must not find its members.
  'constructor',
];

/** Every path to a value inside an object, for mutation. */
function paths(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

function setAt(
  root: unknown,
  path: (string | number)[],
  replacement: unknown,
): void {
  let current = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1))
    current = current[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === undefined) delete current[last];
  else current[last] = replacement;
}

// Hundreds of property runs take about a second alone, several under a full
// parallel test run on two cores: more than Jest's 5 s default.
const PROPERTY_TIMEOUT_MS = 60_000;

describe('robustness', () => {
  it(
    'resolves random objects of the kinds it reads without throwing',
    () => {
      // The checks live in exercise(), run once per generated input.
      expect.hasAssertions();
      const object = fc.record({
        kind: fc.constantFrom(...kinds),
        apiVersion: fc.constantFrom(
          'v1',
          'networking.istio.io/v1',
          'gateway.networking.k8s.io/v1',
          'traefik.io/v1alpha1',
        ),
        metadata: fc.record({
          name: fc.string({ minLength: 1 }),
          namespace: fc.option(fc.constantFrom('app', 'kube-system', 'x'), {
            nil: undefined,
          }),
          labels: fc.anything(),
          annotations: fc.anything(),
        }),
        spec: fc.anything(),
        status: fc.anything(),
        data: fc.anything(),
        endpoints: fc.anything(),
        ports: fc.anything(),
        subsets: fc.anything(),
      });
      fc.assert(
        fc.property(
          fc.array(object, { maxLength: 12 }),
          fc.option(fc.ipV4(), { nil: undefined }),
          (objects, ip) => {
            exercise(objects as unknown as KubeObject[], ip);
          },
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'resolves mutations of the seed-004 cluster without throwing',
    () => {
      expect.hasAssertions();
      const mutation = fc.record({
        object: fc.nat(seed.objects.length - 1),
        pick: fc.nat(),
        value: fc.oneof(
          fc.constant(undefined),
          fc.constant(null),
          fc.anything(),
          fc.string(),
          fc.integer(),
          fc.array(fc.anything()),
        ),
      });
      fc.assert(
        fc.property(
          fc.array(mutation, { minLength: 1, maxLength: 6 }),
          fc.constantFrom(
            '203.0.113.7',
            '10.20.0.5',
            '2001:db8::1',
            'not-an-ip',
          ),
          (mutations, ip) => {
            const objects = structuredClone(seed.objects);
            for (const m of mutations) {
              const target = objects[m.object];
              const all = paths(target).filter(
                p =>
                  !(p.length === 2 && p[0] === 'metadata' && p[1] === 'name'),
              );
              if (all.length > 0)
                setAt(target, all[m.pick % all.length], m.value);
            }
            exercise(objects, ip);
          },
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'resolves mutations of the policy, Gateway API, Traefik, Istio and manifest scenarios without throwing',
    () => {
      expect.hasAssertions();
      const objects = [
        'network-policy-ingress-nginx',
        'network-policy-ipblock-lb',
        'gateway-api-cross-namespace',
        'gateway-api-l4',
        'traefik-ingressroute',
        'istio-bookinfo',
        'manifests-microservices-demo',
      ].flatMap(name => loadScenario(name).load.objects);
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              object: fc.nat(objects.length - 1),
              pick: fc.nat(),
              value: fc.oneof(
                fc.constant(undefined),
                fc.constant(null),
                fc.anything(),
                fc.string(),
                fc.integer(),
              ),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          fc.constantFrom('203.0.113.7', '10.0.1.10', '2001:db8::1'),
          (mutations, ip) => {
            const copy = structuredClone(objects);
            for (const m of mutations) {
              const target = copy[m.object];
              const all = paths(target).filter(
                p =>
                  !(p.length === 2 && p[0] === 'metadata' && p[1] === 'name'),
              );
              if (all.length > 0)
                setAt(target, all[m.pick % all.length], m.value);
            }
            exercise(copy, ip);
          },
        ),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('still resolves the seed when mutations are not applied (control)', () => {
    const report = exercise(seed.objects, '203.0.113.7');
    expect(report.routes.length).toBeGreaterThan(3);
    expect(
      report.routes.every(r => r.verdict?.clientIp === '203.0.113.7'),
    ).toBe(true);
  });
});
